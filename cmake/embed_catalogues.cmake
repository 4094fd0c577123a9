# Writes OUT: a C file with the compiled catalogue DIR/LANG.mo of every
# language in LANGS (joined with "|", in the order of enum lang in
# src/core/i18n.h) as bytes, and the table i18n_catalogues. Run by CMake at
# build time, after msgfmt has checked and compiled po/LANG.po.
string(REPLACE "|" ";" LANGS "${LANGS}")
set(body "/* Generated from po/LANG.po by msgfmt and cmake/embed_catalogues.cmake. */\n#include \"core/i18n.h\"\n\n")
set(table "const struct i18n_mo i18n_catalogues[LANG_COUNT] = {\n")
foreach(l ${LANGS})
  string(TOUPPER ${l} upper)
  file(READ ${DIR}/${l}.mo hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND body "static const unsigned char mo_${l}[] = {${hex}};\n")
  string(APPEND table "    [LANG_${upper}] = {mo_${l}, sizeof mo_${l}},\n")
endforeach()
string(APPEND table "};\n")
file(WRITE ${OUT} "${body}\n${table}")
