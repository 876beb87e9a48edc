; Definitions Redline lists as symbols (conventions in rust/tags.scm).

(class_declaration name: (identifier) @name body: (declaration_list) @body) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(struct_declaration name: (identifier) @name body: (declaration_list) @body) @definition.struct
(interface_declaration name: (identifier) @name body: (declaration_list) @body) @definition.interface
(enum_declaration name: (identifier) @name body: (enum_member_declaration_list) @body) @definition.enum
(method_declaration name: (identifier) @name body: (_) @body) @definition.method
(method_declaration name: (identifier) @name !body) @definition.method
(constructor_declaration name: (identifier) @name body: (_) @body) @definition.constructor
(local_function_statement name: (identifier) @name body: (_) @body) @definition.function
(namespace_declaration name: (_) @name body: (declaration_list) @body) @definition.namespace
(file_scoped_namespace_declaration name: (_) @name) @definition.namespace
