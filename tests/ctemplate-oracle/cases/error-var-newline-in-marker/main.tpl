x {{X
}} y
