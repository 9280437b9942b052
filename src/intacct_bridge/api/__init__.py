"""The JSON API (/api/v1/, django-ninja): token and session auth, one error shape."""
