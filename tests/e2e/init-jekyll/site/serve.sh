#!/bin/sh
bundle exec jekyll serve
