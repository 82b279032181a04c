# Runs bench/run.sh --quick --no-peers and checks that it ran every part:
# exit status 0 (no measurement failed) and a table with the C++, peak-RSS,
# cache, real-code and SQL rows in the markdown copy. Speed is never asserted.
file(REMOVE_RECURSE ${WORK})
execute_process(
  COMMAND ${RUN} --quick --no-peers --build ${BUILD} --work ${WORK}
          --out ${WORK}/latest.md
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bench/run.sh --quick failed (${rc}):\n${err}")
endif()
file(READ ${WORK}/latest.md md)
foreach(row "light TUs, all stress-[*] rules, -j1 [|] [0-9.]+ s [|]"
            "[|] Peak RSS, largest TU [^|]*[|] [0-9]+ MB [|]"
            "[|] Warm re-run, unchanged tree [|]"
            # Qt 6 and Boost headers (bench/gen_real.py), or which package is missing.
            "[|] C[+][+] real code, [^|]* over Qt 6 headers [^|]*[|] [0-9.]+ s [|]|[|] n/a [(]qt6-base-dev not installed[)] [|]"
            "[|] C[+][+] real code, [^|]* over Boost headers[^|]*[|] [0-9.]+ s [|]|[|] n/a [(]libboost-dev not installed[)] [|]"
            # Without a corpus (--corpus, STRESSLINT_SQL_CORPUS) the row says so.
            "[|] SQL corpus ([(]5 files, [0-9]+ statements[)] [|] [0-9.]+ s [|]|[|] n/a [(]no corpus given[)] [|])")
  if(NOT md MATCHES "${row}")
    message(FATAL_ERROR "bench/run.sh --quick: no row matching '${row}' in\n${md}")
  endif()
endforeach()
