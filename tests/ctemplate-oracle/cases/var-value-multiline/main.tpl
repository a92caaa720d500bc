begin
{{V}}
end
