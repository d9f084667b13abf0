from sailau.languages import decimal_separator

DECIMAL_SEPARATOR = decimal_separator("ru")
