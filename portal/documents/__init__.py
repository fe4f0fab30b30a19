"""Technical documents for brand clients: service manuals, schematics, BOMs, per-batch
material lists, substitute repair instructions, training material and board software, with
versions, access rules, stamped downloads, an audit of downloads and notices (docs/documents.md)."""
