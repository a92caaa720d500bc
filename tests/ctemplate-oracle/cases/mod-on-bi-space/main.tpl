[{{BI_SPACE:u}}][{{BI_NEWLINE:j}}][{{BI_NEWLINE:h}}]
