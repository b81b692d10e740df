"""The public URLs every guard test (status, one <h1>, browser checks) walks.

Paths are hard-coded on purpose: they are a public contract. Detail pages
use slugs from the real fixtures."""

LIST_PATHS = [
    "/",
    "/exhibits/",
    "/craftsmen/",
    "/pilot-units/",
    "/academies/",
    "/events/",
    "/organisations/",
    "/sources/",
    "/figures/",
    "/data/",
]

DETAIL_PATHS = [
    "/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/",
    "/craftsmen/gao-fenglin/",
    "/craftsmen/li-dongliang/",
    "/academies/baotou-zhiye-jishu-xueyuan-gongjiang-xueyuan/",
    "/events/di-san-jie-daguo-gongjiang-chuangxin-jiaoliu-dahui/",
    "/organisations/neimenggu-zonggonghui/",
    "/sources/jiangxin-zhu-beijiang/",
    "/sources/helingeer-chuangxin-tuijin-xingdong/",
]

# Print pages (exhibit labels): public and checked like every page, but not
# in the sitemap, and they cite nothing themselves.
PRINT_PATHS = [
    "/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/label/",
    "/exhibits/areas/xitu-chanyelian-tese-zhanshiqu/labels/?layout=a4",
]

# The page of every value of a list's filter menu (linked from a menu too
# long to offer them all): public and checked like every page, not indexed.
VALUE_PATHS = ["/exhibits/filters/organisation/"]

PUBLIC_PATHS = LIST_PATHS + DETAIL_PATHS + PRINT_PATHS + VALUE_PATHS
ENGLISH_PATHS = ["/en" + path for path in PUBLIC_PATHS]
