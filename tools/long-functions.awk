# tools/long-functions.awk - the functions of C sources longer than N lines
# (80 unless -v N=...), longest first once sorted:
#   awk -f tools/long-functions.awk src/*.c src/modules/*.c | sort -rn
# A definition is a line at column 0
# with '(' that is not a declaration, its body a '{' and a '}' at column 0;
# the length counts from the signature's first line to the closing brace.
FNR == 1 { sig = ""; inbody = 0 }
!inbody && /^[A-Za-z_].*\(/ && !/;[ \t]*$/ && !/^(typedef|struct [a-z_]+ \{|enum|#)/ { sig = $0; start = FNR; next }
!inbody && sig != "" && /^\{/ { inbody = 1; next }
!inbody && sig != "" && /;[ \t]*$/ && !/^[ \t]/ { sig = "" }
inbody && /^\}/ {
	n = FNR - start + 1
	if (n > (N ? N : 80)) {
		name = sig; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
		printf "%4d %s:%d %s\n", n, FILENAME, start, name
	}
	inbody = 0; sig = ""
}
