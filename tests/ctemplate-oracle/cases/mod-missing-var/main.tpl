[{{M:h}}][{{M:J=number}}][{{M:U=html}}][{{M:I=html}}]
