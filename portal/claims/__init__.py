"""Repair claims of the clients' own service networks (repair-fee compensation): intake by
form, API and bulk upload, automatic adjudication by the client's scheme, the after-sales
team's review queue, pre-authorisations, and the decided claims settlements read."""
