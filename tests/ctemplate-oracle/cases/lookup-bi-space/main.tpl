[{{BI_SPACE}}]
