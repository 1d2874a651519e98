"""Documents and packages written from the store: xlsx, PDF, report packages. No Qt."""
