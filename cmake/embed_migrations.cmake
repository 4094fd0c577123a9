# Writes OUT: a C file with every migration in FILES (sorted, numbered
# NNN_name.sql, joined with "|") as a string, in order. Run by CMake at
# build time. SYMBOL names the array (default "migrations"; its count is
# SYMBOL_count).
if(NOT SYMBOL)
  set(SYMBOL migrations)
endif()
string(REPLACE "|" ";" FILES "${FILES}")
set(body "/* Generated from the migrations of a backend by cmake/embed_migrations.cmake. */\n#include \"store/sqlite/migrations.h\"\n\n")
set(table "const struct migration ${SYMBOL}[] = {\n")
set(n 0)
foreach(f ${FILES})
  get_filename_component(name ${f} NAME)
  file(READ ${f} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND body "static const unsigned char ${SYMBOL}${n}[] = {${hex}0x00};\n")
  string(APPEND table "    {\"${name}\", (const char *)${SYMBOL}${n}},\n")
  math(EXPR n "${n} + 1")
endforeach()
string(APPEND table "};\nconst int ${SYMBOL}_count = ${n};\n")
file(WRITE ${OUT} "${body}\n${table}")
