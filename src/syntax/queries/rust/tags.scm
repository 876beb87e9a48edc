; Definitions Redline lists as symbols. Conventions (all languages):
;   @definition.<kind>  the whole definition (its range is the symbol's range)
;   @name               the name; @name.trait / @name.receiver qualify it
;   @body               the part whose change is a "body change"; the text before it is the signature

(function_item name: (identifier) @name body: (block) @body) @definition.function
(function_signature_item name: (identifier) @name) @definition.function
(struct_item name: (type_identifier) @name body: (_) @body) @definition.struct
(struct_item name: (type_identifier) @name !body) @definition.struct
(enum_item name: (type_identifier) @name body: (enum_variant_list) @body) @definition.enum
(union_item name: (type_identifier) @name body: (field_declaration_list) @body) @definition.union
(trait_item name: (type_identifier) @name body: (declaration_list) @body) @definition.trait
(impl_item trait: (_) @name.trait type: (_) @name body: (declaration_list) @body) @definition.impl
(impl_item !trait type: (_) @name body: (declaration_list) @body) @definition.impl
(mod_item name: (identifier) @name body: (declaration_list) @body) @definition.module
(macro_definition name: (identifier) @name) @definition.macro
(type_item name: (type_identifier) @name) @definition.type
(const_item name: (identifier) @name value: (_) @body) @definition.constant
(static_item name: (identifier) @name value: (_) @body) @definition.static
(let_declaration
  pattern: (identifier) @name
  value: (closure_expression body: (_) @body)) @definition.closure
