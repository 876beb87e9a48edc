; Definitions Redline lists as symbols (conventions in rust/tags.scm).

(function_definition name: (identifier) @name body: (block) @body) @definition.function
(class_definition name: (identifier) @name body: (block) @body) @definition.class
; `handler = lambda event: …`
(assignment left: (identifier) @name right: (lambda body: (_) @body)) @definition.function
