"""The API's routes, one module per concern: documents, search (search/similar/compare/facets), system."""
