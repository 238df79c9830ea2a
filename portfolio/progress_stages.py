"""形象进度 as the demo data write it: the works' stage by physical percent, per kind of project —
(upper bound in %, text) in order. Shared by the 2020 fixture generator
(scripts/make_fixture_2020.py, which runs without Django: keep this module free of imports) and
the 2021 demo (portfolio/demo_2021.py)."""

STAGES = {
    "road": [(35, "路基土方及雨污管网施工"), (70, "路面基层及管线施工"),
             (100, "路面面层及人行道、照明、绿化等附属工程施工")],
    "school": [(35, "基础及主体结构施工"), (70, "主体结构施工"), (100, "主体封顶，装饰装修及室外配套施工")],
    "building": [(35, "基础及主体结构施工"), (70, "主体结构施工"), (100, "主体封顶，装饰装修及室外配套施工")],
    "park": [(50, "土方造型及园路施工"), (100, "绿化种植及景观小品施工")],
    "utility": [(100, "管线敷设及设备安装施工")],
    "other": [(100, "工程施工")],
}
