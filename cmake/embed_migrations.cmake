# Writes OUT: a C file with every migration in FILES (sorted, numbered
# NNN_name.sql, joined with "|") as a string, in order. Run by CMake at
# build time.
string(REPLACE "|" ";" FILES "${FILES}")
set(body "/* Generated from src/store/sqlite/migrations by cmake/embed_migrations.cmake. */\n#include \"store/sqlite/migrations.h\"\n\n")
set(table "const struct migration migrations[] = {\n")
set(n 0)
foreach(f ${FILES})
  get_filename_component(name ${f} NAME)
  file(READ ${f} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND body "static const unsigned char m${n}[] = {${hex}0x00};\n")
  string(APPEND table "    {\"${name}\", (const char *)m${n}},\n")
  math(EXPR n "${n} + 1")
endforeach()
string(APPEND table "};\nconst int migrations_count = ${n};\n")
file(WRITE ${OUT} "${body}\n${table}")
