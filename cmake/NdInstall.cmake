# Installation pieces that belong to no single folder: the pkg-config files
# for chef and eater authors, and the common headers the public headers
# include.  Programs, chefs, units, man pages and the dashboard are
# installed by their own folders.
# Relocatable: paths are relative to where the .pc file is found.
file(RELATIVE_PATH ND_PC_TO_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig"
     "${CMAKE_INSTALL_PREFIX}")
# The eater library's own dependencies inside the tree.
set(ND_EATER_PC_LIBS "\${libdir}/libndeater.a")
if(TARGET ndclientauth)
  install(TARGETS ndclientauth ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}/netdumplings")
  string(APPEND ND_EATER_PC_LIBS " \${libdir}/netdumplings/libndclientauth.a")
endif()
string(APPEND ND_EATER_PC_LIBS " \${libdir}/netdumplings/libndcommon.a")
foreach(pc netdumplings-chef netdumplings-eater)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/pkgconfig/${pc}.pc.in
                 ${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
# eater.h includes the dumpling envelope, which names the protocol facts.
install(FILES ${PROJECT_SOURCE_DIR}/common/dumpling.h ${PROJECT_SOURCE_DIR}/common/proto.h
              ${PROJECT_SOURCE_DIR}/common/hello.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/netdumplings)
