"""The service dashboard: complaint KPIs against the published thresholds, RMA turnaround,
claim acceptance, top fault causes and failure rates, for the team (all clients) and for each
client (its own figures)."""
