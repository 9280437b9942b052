"""Query engines: the readByQuery string grammar and the ``query`` filter tree compile to one AST."""
