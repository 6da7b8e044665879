"""Quality URLs (stub; owned by one helper)."""

urlpatterns = []
