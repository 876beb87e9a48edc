; Definitions Redline lists as symbols (conventions in rust/tags.scm).

(function_definition
  declarator: [(function_declarator declarator: (_) @name)
               (pointer_declarator declarator: (function_declarator declarator: (_) @name))
               (reference_declarator (function_declarator declarator: (_) @name))]
  body: (compound_statement) @body) @definition.function
(field_declaration declarator: (function_declarator declarator: (_) @name)) @definition.method
(class_specifier name: (_) @name body: (field_declaration_list) @body) @definition.class
(struct_specifier name: (_) @name body: (field_declaration_list) @body) @definition.struct
(union_specifier name: (_) @name body: (field_declaration_list) @body) @definition.union
(enum_specifier name: (_) @name body: (enumerator_list) @body) @definition.enum
(namespace_definition name: (_) @name body: (declaration_list) @body) @definition.namespace
(type_definition declarator: (type_identifier) @name) @definition.type
(alias_declaration name: (type_identifier) @name) @definition.type
; `auto total = [](…) { … };`
(declaration
  declarator: (init_declarator
    declarator: (identifier) @name
    value: (lambda_expression body: (compound_statement) @body))) @definition.function
