{{%FOO}}
