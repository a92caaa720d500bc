a{{! x {{V}} y }}b
