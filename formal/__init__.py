"""clausecheck's solver side: compile the spec's AST to Z3 and answer questions over every timeline."""

__version__ = "0.1.0"
