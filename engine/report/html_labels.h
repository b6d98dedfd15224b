/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_labels.h - every label of the HTML report in Korean and English,
 * in one table: HTML_LABELS lists id, Korean, English; the enum of ids and
 * the lookup (html_labels.c) are made from it, so a label cannot lack a
 * language. Labels are plain text (the page escapes them).
 */
#ifndef DEID_HTML_LABELS_H
#define DEID_HTML_LABELS_H

#include <stddef.h>

#include "deid.h"

/* X(id, ko, en) */
#define HTML_LABELS(X) \
    X(TITLE_CHECK, "프라이버시 점검 보고서", \
      "Privacy check report") \
    X(TITLE_RUN, "가명처리 실행 보고서", \
      "De-identification run report") \
    X(SEC_VERDICT, "판정", \
      "Verdict") \
    X(REQ_K, "k-익명성", \
      "k-anonymity") \
    X(REQ_L_DISTINCT, "l-다양성 (distinct)", \
      "l-diversity (distinct)") \
    X(REQ_L_ENTROPY, "l-다양성 (엔트로피)", \
      "l-diversity (entropy)") \
    X(REQ_T, "t-근접성", \
      "t-closeness") \
    X(REQUIRED, "요구 수준", \
      "required") \
    X(MEASURED, "측정값", \
      "measured") \
    X(MET, "충족", \
      "met") \
    X(NOT_MET, "미충족", \
      "not met") \
    X(RESULT, "결과", \
      "result") \
    X(NO_REQUIREMENT, "요구 조건이 없습니다", \
      "no requirement was given") \
    X(NOT_MEASURED, "프라이버시 수치를 측정하지 않았습니다 (규칙에 require 줄이 없음)", \
      "no privacy figures were measured (the rules have no require line)") \
    X(SEC_CHECKED, "점검 대상", \
      "What was checked") \
    X(COMMAND, "명령", \
      "command") \
    X(VERSION, "도구 버전", \
      "tool version") \
    X(TIMESTAMP, "작성 시각 (UTC)", \
      "written at (UTC)") \
    X(INPUTS, "입력 파일", \
      "inputs") \
    X(OUTPUT, "출력 파일", \
      "output") \
    X(FILE, "파일", \
      "file") \
    X(SIZE_BYTES, "크기 (바이트)", \
      "size (bytes)") \
    X(SIZE_DECODED, "크기 (gzip 해제 후 바이트)", \
      "size (bytes after gzip decoding)") \
    X(RECORDS, "레코드", \
      "records") \
    X(SHA256, "SHA-256", \
      "SHA-256") \
    X(ENCODING, "인코딩", \
      "encoding") \
    X(RULES, "규칙 파일", \
      "rules file") \
    X(RULES_SHA256, "규칙 파일 SHA-256", \
      "rules file SHA-256") \
    X(QUASI, "준식별자", \
      "quasi-identifiers") \
    X(SENSITIVE, "민감 속성", \
      "sensitive columns") \
    X(NONE, "없음", \
      "none") \
    X(REQUIREMENT, "요구 조건", \
      "requirement") \
    X(SUPPRESSION, "억제 방식", \
      "suppression") \
    X(SUPPRESSION_TEXT, "준식별자가 모두 억제 토큰과 같은 레코드는 억제된 레코드로 세어, ARX와 같이 동질집합과 위험 계산에서 제외합니다 (민감 속성의 전체 분포에는 포함). 억제 토큰:", \
      "records whose QIs all equal the suppression token are counted as suppressed and, as ARX does, left out of the classes and the risk (their sensitive values still count in the overall distributions). Token:") \
    X(DIST_EQUAL, "동일 거리", \
      "equal distance") \
    X(DIST_ORDERED, "순서 거리", \
      "ordered distance") \
    X(DIST_HIER, "계층 거리", \
      "hierarchical distance") \
    X(NOT_COMPUTED, "계산하지 않음", \
      "not computed") \
    X(SEC_CLASSES, "동질집합 크기", \
      "Equivalence class sizes") \
    X(RECORDS_IN_CLASSES, "동질집합에 속한 레코드", \
      "records in classes") \
    X(SUPPRESSED_RECORDS, "억제된 레코드", \
      "suppressed records") \
    X(CLASSES, "동질집합 수", \
      "classes") \
    X(SMALLEST, "가장 작은 동질집합", \
      "smallest class") \
    X(MEDIAN, "동질집합 크기 중앙값", \
      "median class") \
    X(LARGEST, "가장 큰 동질집합", \
      "largest class") \
    X(UNIQUES, "유일 레코드 (크기 1)", \
      "unique records (class of 1)") \
    X(CLASSES_BELOW_K, "k 미만 동질집합", \
      "classes below k") \
    X(RECORDS_BELOW_K, "k 미만 동질집합의 레코드", \
      "records in classes below k") \
    X(CHART_CLASSES, "크기별 동질집합 수", \
      "classes by size") \
    X(CLASS_SIZE, "동질집합 크기", \
      "class size") \
    X(SEC_RISK, "재식별 위험 (검사자 모델)", \
      "Re-identification risk (prosecutor)") \
    X(RISK_NOTE, "레코드의 위험 = 1 / 그 레코드가 속한 동질집합의 크기", \
      "a record's risk = 1 / the size of its class") \
    X(RISK_MAX, "최대 위험", \
      "highest risk") \
    X(RISK_AVG, "평균 위험", \
      "average risk") \
    X(RISK_SHARE, "위험이 1/k를 넘는 레코드 비율", \
      "share of records above 1/k") \
    X(RISK_BANDS_CHART, "위험 구간별 레코드 수", \
      "records by risk band") \
    X(RISK_BAND, "위험 구간", \
      "risk band") \
    X(ABOVE_THRESHOLD, "위험이 기준을 넘는 레코드", \
      "records above the risk threshold") \
    X(THRESHOLD, "기준", \
      "threshold") \
    X(SHARE, "비율", \
      "share") \
    X(SEC_QUASI, "준식별자별 분석", \
      "Quasi-identifiers one by one") \
    X(DISTINCT, "서로 다른 값", \
      "distinct values") \
    X(UNIQUES_FREED, "유일성이 해소되는 레코드", \
      "uniques freed") \
    X(UNIQUES_FREED_NOTE, "유일성이 해소되는 레코드: 이 준식별자를 최상위(*)로 일반화하면 더 이상 유일하지 않게 되는 유일 레코드 수", \
      "uniques freed: unique records that would no longer be unique if this QI were generalized to the top (*)") \
    X(DRIVES, "위험을 가장 높이는 준식별자", \
      "drives uniqueness") \
    X(VALUE_DIST, "값 분포", \
      "value distribution") \
    X(VALUE, "값", \
      "value") \
    X(COUNT, "레코드 수", \
      "records") \
    X(NOT_SHOWN, "표시하지 않은 레코드", \
      "records not shown") \
    X(SHOWN_RULE, "크기가 k 이상인 동질집합에서 k번 이상 나타나는 값만, 많은 순으로 최대 10개 표시합니다. k =", \
      "only values held by at least k records of classes of at least k records are shown, most frequent first, at most 10. k =") \
    X(NO_VALUE_SHOWN, "표시할 수 있는 값이 없습니다", \
      "no value can be shown") \
    X(SEC_SENSITIVE, "민감 속성: l-다양성과 t-근접성", \
      "Sensitive columns: l-diversity and t-closeness") \
    X(COLUMN, "열", \
      "column") \
    X(MIN_DISTINCT_L, "가장 작은 distinct l", \
      "smallest distinct l") \
    X(MIN_ENTROPY_L, "가장 작은 엔트로피 l", \
      "smallest entropy l") \
    X(MAX_T, "가장 큰 거리 (t)", \
      "largest distance (t)") \
    X(CLASSES_BELOW_L, "l 미만 동질집합", \
      "classes below l") \
    X(CLASSES_ABOVE_T, "t 초과 동질집합", \
      "classes above t") \
    X(L_CHART, "distinct l별 동질집합 수", \
      "classes by distinct l") \
    X(T_CHART, "전체 분포와의 거리별 동질집합 수", \
      "classes by distance to the overall distribution") \
    X(WORST, "가장 취약한 동질집합 (크기와 수치만, 값은 표시하지 않음)", \
      "weakest classes (sizes and figures only, no values)") \
    X(DISTINCT_L, "distinct l", \
      "distinct l") \
    X(ENTROPY_L, "엔트로피 l", \
      "entropy l") \
    X(SIZE, "크기", \
      "size") \
    X(DISTANCE, "거리", \
      "distance") \
    X(SEC_RUN, "처리 내용", \
      "What the run did") \
    X(TRANSFORM, "변환", \
      "transform") \
    X(TECHNIQUE, "가이드라인 기법", \
      "guideline technique") \
    X(TRANSFORMED, "변환한 값", \
      "values transformed") \
    X(EMPTY, "빈 값", \
      "empty values") \
    X(ERRORS, "오류", \
      "errors") \
    X(WRITTEN, "출력 여부", \
      "written") \
    X(YES, "예", \
      "yes") \
    X(NO, "아니오 (삭제)", \
      "no (dropped)") \
    X(RECORDS_READ, "읽은 레코드", \
      "records read") \
    X(RECORDS_WRITTEN, "쓴 레코드", \
      "records written") \
    X(RECORDS_REMOVED, "제거한 레코드", \
      "records removed") \
    X(RECORDS_SUPPRESSED, "요구 조건으로 억제한 레코드", \
      "records suppressed by the requirement") \
    X(SUPPRESS_REMOVES, "레코드를 삭제함", \
      "the records were removed") \
    X(SUPPRESS_TOKEN, "준식별자를 억제 토큰으로 바꿈", \
      "their QIs were replaced by the token") \
    X(SUPPRESS_CELLS, "그 레코드의 준식별자 셀 일부만 억제 토큰으로 바꿈 (how=cell)", \
      "only some of their QI cells were replaced by the token (how=cell)") \
    X(CELLS_SUPPRESSED, "억제한 준식별자 셀", \
      "QI cells suppressed") \
    X(OUTPUT_FIGURES, "판정과 아래 수치는 출력된 레코드의 것입니다.", \
      "The verdict and the figures below are those of the records written.") \
    X(SEC_RUN_DIST, "준식별자 값 분포: 처리 전과 후", \
      "QI value distributions before and after") \
    X(BEFORE, "입력 (변환 전)", \
      "input (before any transform)") \
    X(BEFORE_SUPPRESSION, "억제 전 (변환 후)", \
      "before suppression (transformed)") \
    X(AFTER, "출력", \
      "as written") \
    X(SEC_POPULATION, "재식별 위험: 언론인·마케터 모형과 모집단 유일성", \
      "Re-identification risk: journalist, marketer, population uniqueness") \
    X(SAMPLE_UNIQUES, "표본 유일 레코드", \
      "sample uniques") \
    X(SAMPLE_UNIQUENESS, "표본 유일 비율", \
      "sample uniqueness") \
    X(RECORDS_BELOW, "크기가 다음보다 작은 동질집합의 레코드", \
      "records in classes smaller than") \
    X(BASIS_SAMPLE, "언론인 위험의 기준: 표본 (모집단 표가 없어 검사자 위험과 같습니다)", \
      "Journalist risk from the sample (no population table: it equals prosecutor risk).") \
    X(BASIS_POPULATION, "언론인 위험의 기준: 모집단 표", \
      "Journalist risk from the population table") \
    X(POPULATION_ROWS, "모집단 표의 행", \
      "population table rows") \
    X(POPULATION_SMALLEST, "가장 작은 모집단 동질집합", \
      "smallest population class") \
    X(JOURNALIST_MAX, "언론인 위험 (최대)", \
      "journalist risk, highest") \
    X(JOURNALIST_AVG, "언론인 위험 (평균)", \
      "journalist risk, average") \
    X(JOURNALIST_ABOVE, "언론인 위험이 기준을 넘는 레코드", \
      "records whose journalist risk exceeds") \
    X(MARKETER, "마케터 위험", \
      "marketer risk") \
    X(UNIQ_NOTE, "표본에서 추정한 모집단 유일 레코드의 비율입니다 (ARX와 같은 모형).", \
      "Shares of the population that are unique in it, estimated from the sample (the models as ARX implements them).") \
    X(SAMPLING_FRACTION, "표본 추출 비율", \
      "sampling fraction") \
    X(POPULATION_SIZE, "모집단 크기", \
      "population size") \
    X(DECISION_RULE, "결정 규칙 (Dankar 외 2012)", \
      "decision rule (Dankar et al. 2012)") \
    X(UNAVAILABLE, "산출 불가", \
      "unavailable") \
    X(NO_MODEL, "선택된 모형 없음 (표본 유일 레코드 없음)", \
      "no model picked (no sample uniques)") \
    X(CUSTODY, "처리 기록", \
      "Processing record") \
    X(PURPOSE, "처리 목적", \
      "purpose") \
    X(RECIPIENT, "제공받는 자", \
      "recipient") \
    X(RETAIN, "보유 기간", \
      "retained until") \
    X(CONTROLLER, "처리자", \
      "controller") \
    X(CUSTODIAN, "추가정보 관리자", \
      "key custodian") \
    X(DESTROY_KEYS, "추가정보 파기 예정일", \
      "keys destroyed on") \
    X(NOT_STATED, "기재 없음", \
      "not stated") \
    X(SEC_UTILITY, "유용성: 원본 대비 정보 손실", \
      "Utility: what was lost against the source") \
    X(UTILITY_NOTE, "준식별자를 원본과 비교한 수치입니다. 정의와 공식은 README의 Utility 절에 있습니다.", \
      "The quasi-identifiers compared with the source. Definitions and formulas: README, section Utility.") \
    X(UTILITY_SOURCE, "원본 파일", \
      "source file") \
    X(UTILITY_RECORDS, "원본 레코드", \
      "source records") \
    X(UTILITY_SUPPRESSED, "억제 또는 삭제된 레코드", \
      "records suppressed or left out") \
    X(UTILITY_CLASSES, "동질집합 (억제 제외)", \
      "classes (suppressed records apart)") \
    X(UTILITY_DM, "구별성 (DM*)", \
      "discernibility (DM*)") \
    X(UTILITY_AECS, "평균 동질집합 크기 (ARX AECS)", \
      "average class size (ARX AECS)") \
    X(UTILITY_CAVG, "C_AVG (평균 크기 / k)", \
      "C_AVG (average size / k)") \
    X(UTILITY_NU_ENTROPY, "비균일 엔트로피 (비트)", \
      "non-uniform entropy (bits)") \
    X(UTILITY_PRECISION, "정밀도 (Sweeney Prec)", \
      "precision (Sweeney's Prec)") \
    X(UTILITY_LOSS, "손실 (ARX loss)", \
      "loss (ARX)") \
    X(UTILITY_UNKNOWN, "알 수 없음", \
      "unknown") \
    X(UTILITY_DISTINCT_BEFORE, "고유값 (원본)", \
      "distinct (source)") \
    X(UTILITY_DISTINCT_AFTER, "고유값 (결과)", \
      "distinct (delivered)") \
    X(UTILITY_H_BEFORE, "엔트로피 (원본, 비트)", \
      "entropy (source, bits)") \
    X(UTILITY_H_AFTER, "엔트로피 (결과, 비트)", \
      "entropy (delivered, bits)") \
    X(UTILITY_PRECISION_LOSS, "정밀도 손실", \
      "precision loss")

typedef enum html_label_id {
#define HTML_LABEL_ID(id, ko, en) HL_##id,
    HTML_LABELS(HTML_LABEL_ID)
#undef HTML_LABEL_ID
    HTML_LABEL_COUNT
} html_label_id;

/* The label id in lang (DEID_LANG_EN, else Korean): a static string, or
 * NULL when id is out of range. */
const char *html_label(deid_lang lang, html_label_id id);

#endif
