
app_name = "demography"

# Region pages: filled by the region-pages work (views.py).
urlpatterns: list = []
