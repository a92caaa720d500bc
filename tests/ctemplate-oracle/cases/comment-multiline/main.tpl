a{{! first
second
  third }}b
{{!
}}c
