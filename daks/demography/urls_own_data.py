
app_name = "own_data"

# A Kommune's own statistics (uploads): filled by the own-data work (views_own_data.py).
urlpatterns: list = []
