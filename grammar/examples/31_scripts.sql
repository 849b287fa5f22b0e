-- Scripts: empty statements are skipped and the final ';' is optional.
;;
SELECT 1;
;
SELECT 2; SELECT 3;

SELECT
    4
