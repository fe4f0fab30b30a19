"""Settlement statements: the PDF and the XLSX of each issued settlement and credit note, in
the client's language, rendered once and stored by content hash (see docs/statements.md)."""
