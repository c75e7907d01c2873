"""IO manager implementations, one module each: memory, pickle (the default), and more."""
