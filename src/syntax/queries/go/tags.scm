; Definitions Redline lists as symbols (conventions in rust/tags.scm).

(function_declaration name: (identifier) @name body: (block) @body) @definition.function
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(type_identifier) @name.receiver
             (pointer_type (type_identifier) @name.receiver)
             (generic_type type: (type_identifier) @name.receiver)
             (pointer_type (generic_type type: (type_identifier) @name.receiver))]))
  name: (field_identifier) @name
  body: (block) @body) @definition.method
(type_spec name: (type_identifier) @name type: (struct_type) @body) @definition.struct
(type_spec name: (type_identifier) @name type: (interface_type) @body) @definition.interface
(type_alias name: (type_identifier) @name type: (_) @body) @definition.type
; `handler := func(…) { … }`
(short_var_declaration
  left: (expression_list . (identifier) @name .)
  right: (expression_list . (func_literal body: (block) @body) .)) @definition.function
