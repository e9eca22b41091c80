# Warning set for every target in the tree.  Warnings are errors unless
# ND_WERROR is switched off.
add_compile_options(
  -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes
  -Wmissing-prototypes -Wformat=2 -Wformat-security -Wvla
  -Wundef -Wcast-align -Wnull-dereference -Wimplicit-fallthrough
  -Wno-unused-parameter
)
if(ND_WERROR)
  add_compile_options(-Werror)
endif()
add_compile_definitions(_GNU_SOURCE)
