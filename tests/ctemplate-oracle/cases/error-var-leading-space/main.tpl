a {{ NAME}} b
