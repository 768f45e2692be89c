# Dates as the staff pages write them ("28 Nov 2026, 09:59"), in the admin too; the admin's
# lists write them through strftime (intake.admin.date_column). Django's "en" formats
# give the rest.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
