"""The web pages for policy officers (`routes.install` adds them to the API's app)."""
