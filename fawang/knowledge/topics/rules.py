"""Hand-written rules that turn statutes into topics, and a lexicon of lay topic words.

There is no labelled set of consultation topics.  The lay questions of data/lawsearch/train.jsonl do carry
the statute articles that answer them, and the statute answering a question says a lot about its topic
(a question answered by 劳动合同法 is a labour question).  ``statute_topic`` encodes that judgement as a
rule table, written by hand and meant to be read: first match wins.

The lexicon serves three purposes: it refines a broad statute topic into a narrower one when the question's
own words say so (a 侵权 question about a car crash is a 交通事故 question), it is one input of the
classifier at run time, and it covers topics the question file barely has (海事海商, 涉外法律).
"""

from __future__ import annotations

import re

# ---- statutes -> topics --------------------------------------------------------------------------------

# Laws other than the Civil Code, matched as substrings of the normalised title (中华人民共和国, 《》 and
# spaces removed).  Order matters: the first row whose substring occurs wins, so specific rows come first
# (刑事 before 未成年人, 房屋租赁 before 租赁).
LAW_RULES: list[tuple[str, str]] = [
    # criminal: any statute or interpretation about criminal cases
    ("刑法", "criminal"),
    ("刑事", "criminal"),
    # maritime and foreign matters
    ("海商法", "maritime"),
    ("海事", "maritime"),
    ("海上", "maritime"),
    ("船舶", "maritime"),
    ("海洋", "maritime"),
    ("涉外", "foreign"),
    ("出境入境", "foreign"),
    ("外商投资", "foreign"),
    ("外国人", "foreign"),
    ("国籍法", "foreign"),
    # labour
    ("劳动", "labour"),
    ("社会保险", "labour"),
    ("工伤", "labour"),
    ("就业促进", "labour"),
    ("年休假", "labour"),
    ("职工工作时间", "labour"),
    ("工资支付", "labour"),
    # traffic
    ("道路交通", "traffic"),
    ("交通事故", "traffic"),
    # medical
    ("医疗", "medical"),
    ("医师", "medical"),
    ("献血", "medical"),
    ("母婴保健", "medical"),
    ("药品", "medical"),
    # demolition and resettlement
    ("房屋征收", "demolition"),
    ("拆迁", "demolition"),
    # construction
    ("建设工程", "construction"),
    ("建筑法", "construction"),
    ("招标投标", "construction"),
    # security interests (before 合同, after 建设工程)
    ("担保", "security"),
    ("独立保函", "security"),
    # debts
    ("民间借贷", "debt"),
    ("债务利息", "debt"),
    ("企业破产", "company"),
    # intellectual property
    ("商标", "ip"),
    ("著作权", "ip"),
    ("专利", "ip"),
    ("信息网络传播权", "ip"),
    ("知识产权", "ip"),
    ("反不正当竞争", "ip"),
    ("技术合同", "ip"),
    ("计算机软件", "ip"),
    # administrative
    ("行政许可", "administrative"),
    ("行政诉讼", "administrative"),
    ("行政处罚", "administrative"),
    ("行政复议", "administrative"),
    ("政府信息公开", "administrative"),
    ("国家赔偿", "administrative"),
    ("治安管理处罚", "administrative"),
    # consumers
    ("消费", "consumer"),
    ("产品质量", "consumer"),
    ("食品", "consumer"),
    ("旅游", "consumer"),
    ("电子商务", "consumer"),
    # family
    ("婚姻", "family"),
    ("继承", "family"),
    ("收养", "family"),
    ("家庭", "family"),
    ("妇女权益", "family"),
    ("未成年人", "family"),
    ("老年人权益", "family"),
    # personal injury and other torts
    ("人身损害", "injury"),
    ("精神损害", "tort"),
    ("侵权", "tort"),
    ("环境", "tort"),
    ("噪声", "tort"),
    ("固体废物", "tort"),
    ("个人信息保护", "tort"),
    # real property (rural land contracting goes here: the taxonomy has no separate land topic)
    ("物业", "property"),
    ("建筑物区分所有权", "property"),
    ("房屋租赁", "property"),
    ("房地产", "property"),
    ("土地", "property"),
    ("不动产", "property"),
    # companies and other business forms
    ("公司", "company"),
    ("合伙企业", "company"),
    ("个体工商户", "company"),
    ("证券", "company"),
    # contracts
    ("保险", "contract"),
    ("融资租赁", "contract"),
    ("特许经营", "contract"),
    ("合同", "contract"),
    ("铁路", "contract"),
]

# The Civil Code, by book (编; by article number, since the section paths in data/laws start below the
# book) and then by chapter or section words.  Rows: (first article, last article, section regex or "", topic).
CIVIL_CODE_RULES: list[tuple[int, int, str, str]] = [
    # 总则编 1-204
    (1, 204, "监护", "family"),
    (1, 204, "宣告失踪|宣告死亡", "family"),
    (1, 204, "个体工商户|农村承包经营户", "company"),
    (1, 204, "法人|非法人组织", "company"),
    (1, 204, "", "general"),
    # 物权编 205-462
    (205, 462, "担保物权|抵押|质权|留置", "security"),
    (205, 462, "占有", "general"),
    (205, 462, "", "property"),
    # 合同编 463-988
    (463, 988, "借款合同", "debt"),
    (463, 988, "合同的保全", "debt"),
    (463, 988, "不当得利|无因管理", "debt"),
    (463, 988, "保证合同", "security"),
    (463, 988, "建设工程合同", "construction"),
    (463, 988, "物业服务合同", "property"),
    (463, 988, "技术合同", "ip"),
    (463, 988, "", "contract"),
    # 人格权编 989-1039
    (989, 1039, "生命权|身体权|健康权", "injury"),
    (989, 1039, "", "tort"),
    # 婚姻家庭编 1040-1118 and 继承编 1119-1163: inheritance is routed with family matters
    (1040, 1163, "", "family"),
    # 侵权责任编 1164-1258
    (1164, 1258, "机动车交通事故", "traffic"),
    (1164, 1258, "医疗损害", "medical"),
    (1164, 1258, "产品责任", "consumer"),
    (1164, 1258, "高度危险|饲养动物", "injury"),
    (1164, 1258, "", "tort"),
    # 附则
    (1259, 1260, "", "general"),
]

# Broad statute topics may be narrowed by the question's own words to one of these.
REFINABLE: dict[str, set[str]] = {
    "general": set(),  # filled below: anything
    "tort": {"injury", "traffic", "medical", "consumer", "ip", "property", "labour"},
    "injury": {"traffic", "medical", "labour"},
    "contract": {"property", "construction", "debt", "consumer", "labour", "security", "maritime", "foreign"},
    "property": {"demolition", "construction"},
    "company": {"labour", "debt"},
}

CIVIL_CODE = "民法典"
_TITLE_JUNK = re.compile(r"中华人民共和国|[《》\s]")


def normalize_title(title: str) -> str:
    """As data/lawsearch/SOURCE.md says: drop 中华人民共和国, 《》 and spaces, map full-width parentheses."""
    return _TITLE_JUNK.sub("", title).replace("（", "(").replace("）", ")")


def statute_topic(title: str, article_no: int | None, section: str) -> str | None:
    """Topic code of one statute article, or None if no rule applies."""
    t = normalize_title(title)
    if t == CIVIL_CODE:
        if article_no is None:
            return None
        for lo, hi, pattern, topic in CIVIL_CODE_RULES:
            if lo <= article_no <= hi and (not pattern or re.search(pattern, section or "")):
                return topic
        return None
    if t.startswith(CIVIL_CODE) and "解释" in t:
        # interpretations of one book of the Code: 婚姻家庭编 / 继承编 / 物权编 / 合同编 / 侵权责任编 / 总则编
        for book, topic in (
            ("婚姻家庭编", "family"),
            ("继承编", "family"),
            ("物权编", "property"),
            ("合同编", "contract"),
            ("侵权责任编", "tort"),
            ("总则编", "general"),
            ("担保", "security"),
        ):
            if book in t:
                return topic
    for needle, topic in LAW_RULES:
        if needle in t:
            return topic
    # Procedure (民事诉讼法, 仲裁法, 证据, 执行) and everything else: the general desk.
    return "general"


def _words(text: str) -> list[str]:
    return text.split()


# ---- lexicon -------------------------------------------------------------------------------------------

# Lay words that point to a topic.  Matched as substrings of the question, each distinct word counting once.
# Words are chosen to be specific: a word that lay people use across topics (赔偿, 钱, and 公司, which lay
# people use for their employer) is left out.
LEXICON: dict[str, list[str]] = {
    "family": _words(
        "离婚 结婚 婚姻 夫妻 老公 老婆 丈夫 妻子 配偶 前夫 前妻 彩礼 嫁妆 抚养 "
        "抚养费 抚养权 探视 赡养 扶养 继承 遗产 遗嘱 遗赠 收养 监护 家暴 家庭暴力 "
        "婚前 婚后 共同财产 出轨 重婚 子女 私生子 非婚生 亲子鉴定 分居 户口"
        " 孩子归 离婚协议 离婚诉讼 生活费 儿子 女儿 娃 老公 媳妇 婆娘 两口子 改嫁 后妈 继父 继母 孙子 奶奶 爷爷 保护令 告诫书 打老婆 领养 冷静期 离了 养老娘 养老爹 爹妈 老娘 老爹 闺女"
    ),
    "labour": _words(
        "工资 欠薪 加班 劳动合同 劳动仲裁 辞退 开除 解雇 离职 辞职 试用期 社保 "
        "社会保险 五险一金 公积金 工伤 用人单位 员工 职工 单位 老板 经济补偿 年假 "
        "年休假 带薪 劳务派遣 竞业限制 上班 入职 裁员 农民工 绩效 调岗 劳动关系 病假 "
        "产假"
        " 拖欠工资 欠工资 不发工资 讨薪 工伤认定 劳动者 双倍工资 违法解除 补偿金 打工 离职证明 被公司开除 公司辞退 工钱 厂里 干活 进厂 辞了 不用来了 年假 休假 加班费 工伤保险 伤残等级 停工留薪 养伤 失业金 养老金 生育保险 押金 离职证明 派遣 工头 走人 让我走 开了我 把我开了 临时工 旷工 调到外地 发工资 培训费 服务期"
    ),
    "traffic": _words(
        "交通事故 车祸 撞车 追尾 撞了 被撞 撞伤 撞死 肇事 逃逸 交警 驾驶 酒驾 醉驾 "
        "无证驾驶 交强险 三者险 机动车 电动车 摩托车 开车 骑车 行人 红绿灯 闯红灯 "
        "责任认定书 事故认定 车损 货车 司机"
        " 车辆 撞到 撞倒 刮蹭 保险理赔 全责 主责 次责 出车祸 顺风车 出租车 驾照 认定书 交警队 撞坏 撞人 二手车 搭我的车 搭车 出了事故 撞了人 被车撞"
    ),
    "debt": _words(
        "借钱 借款 欠钱 欠款 还钱 不还 借条 欠条 利息 高利贷 民间借贷 债务 债权 讨债 "
        "催收 要债 追债 逾期 贷款 网贷 还款 老赖 失信 利率"
        " 借给 欠我 还不上 催款 讨钱 欠条 借条 赖着不还 催收 网贷 讨回 还钱"
    ),
    "criminal": _words(
        "犯罪 判刑 坐牢 刑事 拘留 逮捕 取保候审 公安 派出所 报警 立案侦查 盗窃 偷 "
        "抢劫 诈骗 骗了 故意伤害 杀人 强奸 贩毒 毒品 赌博 行贿 受贿 贪污 挪用 缓刑 "
        "自首 量刑 嫌疑人 被告人 刑期 判几年 坐几年 判多久 有期徒刑 死刑 罪"
        " 被抓 抓了 判刑吗 警察 看守所 犯法 冒充 被骗 骗子 刷单 兼职 网恋 被偷 小偷 偷东西 判缓刑 取保 立案 坐牢 安全账户 洗钱 关起来 抓走"
    ),
    "contract": _words(
        "合同 协议 违约 违约金 定金 订金 解除合同 买卖 购买 卖方 买方 发货 货款 退货 "
        "承揽 保险公司 理赔 保险 中介 租赁 委托 代理 仓储 保管 运输 赠与 加工 定做 交货"
    ),
    "property": _words(
        "房子 房屋 买房 卖房 购房 二手房 房产证 不动产 过户 房东 租房 房租 租客 物业 "
        "物业费 业主 小区 宅基地 邻居 相邻 土地承包 承包地 开发商 交房 商品房 产权 "
        "首付 按揭 居住权 漏水 楼上"
        " 房产 房本 租金 退押金 房东 租的房子 押金 车位 业主 物业公司 楼道 楼上 钻墙 阳光 宅基地 承包地 过户 二手房 交房 房产证 漏水 装修 出租屋 甲醛 村里收回 地收回 收回承包地 水管 电梯"
    ),
    "tort": _words(
        "侵权 名誉 诽谤 侮辱 隐私 肖像 姓名权 个人信息 造谣 泄露 污染 噪音 噪声 "
        "高空抛物 坠落 精神损害 损坏 财产损失 网络暴力"
        " 侵犯名誉 人肉 网暴 被骂 造谣 说我 骂我 照片 私密 泄露 骚扰电话 人肉 冒用 删掉 废水 排污 划了 摄像头 偷拍 刷脸 人脸 辱骂 通讯录 身份证信息 住址 电话号码 门禁 发到网上"
    ),
    "company": _words(
        "股东 股权 股份 法定代表人 注册资本 董事 监事 分红 出资 合伙 合伙人 "
        "个体工商户 营业执照 破产 清算 注销 有限责任公司 股份公司 公司法"
        " 股东会 董事会 公司章程 老板跑路 小股东 账本 个体户 注册资金 资不抵债 注销 退伙 合伙开"
    ),
    "medical": _words(
        "医院 医疗 医生 手术 误诊 医疗事故 医疗纠纷 病历 治疗 护士 药 住院 病人 患者 "
        "诊所 整形 医美 鉴定机构 医患"
        " 医疗过错 手术失误 病情 看病 病历 诊所 打针 检查 整容 死因 药厂 开的药 疫苗 接种 不良反应 打错药"
    ),
    "demolition": _words(
        "拆迁 征收 征地 补偿款 安置 强拆 拆除 拆迁款 安置房 回迁 补偿标准 棚改 旧改 违建 违章建筑"
        " 拆迁补偿 征收补偿 房屋征收 拆迁办 被拆 断水断电 拆迁办 临时住 过渡 评估 征收决定 停业损失 土地补偿费 补偿费 拆房子 逼我们搬 被征"
    ),
    "administrative": _words(
        "行政 政府 行政处罚 罚款 行政复议 行政诉讼 行政许可 信息公开 执法 城管 吊销 "
        "许可证 审批 不作为 国家赔偿 行政机关 街道办 乡政府 镇政府 村委会 治安处罚"
        " 行政行为 行政强制 公安局 市场监管 罚了 罚款 城管 听证 交警罚 拘留 国家赔偿 政府信息 派出所罚"
    ),
    "construction": _words(
        "工程 施工 工程款 包工头 承包商 发包 分包 转包 装修 装修公司 工地 建筑 "
        "质量保修 竣工 验收 监理 挂靠 招标 投标"
        " 装修款 建房 盖房 施工方 工地 工程 盖房子 开裂 资质 挂靠 转包 验收 保修"
    ),
    "ip": _words(
        "商标 专利 著作权 版权 盗版 抄袭 侵犯知识产权 知识产权 注册商标 发明 实用新型 "
        "外观设计 软件著作权 作品 署名 仿冒 山寨 商业秘密 技术秘密 许可使用"
        " 侵犯著作权 商标侵权 专利侵权 盗用 原创 公众号 搬运 小视频 店名 名牌 发明 客户资料 续展 图片 视频 我拍的"
    ),
    "injury": _words(
        "受伤 打伤 被打 打人 殴打 伤残 残疾 骨折 医药费 误工费 护理费 死亡赔偿金 "
        "人身损害 摔倒 摔伤 狗咬 被咬 咬伤 溺水 伤情 轻伤 重伤 赔偿金 营养费 意外"
        " 打架 被人打 致残 摔了 人身伤害 狗 咬 砸 摔 溺水 烫伤 伤了 弄伤 受了伤 花盆 掉下来 高空 滑倒 摔断 骨折 学校 同学 幼儿园 见义勇为 救人 游泳 树枝 坑 打伤 喝多 梯子 刮断 井盖 没盖盖子"
    ),
    "foreign": _words(
        "外国 外籍 老外 国外 境外 出国 签证 护照 移民 涉外 跨国 外资 外企 外商 留学 "
        "海外 香港 澳门 台湾 入境 出境 绿卡 国际 跨境 外汇"
        " 外国人 在国外 外国公司 中外 哪国 外国的"
    ),
    "maritime": _words(
        "船舶 船只 船员 船东 船长 渔船 货轮 碰撞 海上 海事 海商 提单 租船 海运 港口 "
        "码头 船 共同海损 海难 打捞 航运 集装箱 出海 船舶碰撞"
        " 货船 船上 海运费 轮渡 跑船 船公司 渔船 海运"
    ),
    "consumer": _words(
        "消费者 商家 买到 假货 假冒 伪劣 退款 三包 售后 维修 质量问题 退一赔三 "
        "假一赔十 过期 食品 网购 淘宝 电商 快递 旅行社 旅游 导游 充值 预付卡 会员卡 "
        "健身房 培训机构 虚假宣传 12315 消协"
        " 网上买 商场 超市 买的东西 产品质量 以次充好 不给退 外卖 吃出 餐厅 饭店 网上买 店家 商家 退货 买的 办了卡 充的钱 理发店 健身房 4S店 修车店 搭着卖 发广告 打折 直播间 保健品 月饼 苍蝇 头发 拉肚子 事故车 美容 美容店 开瓶费 最终解释权"
    ),
    "security": _words(
        "担保 抵押 质押 保证人 担保人 连带责任保证 一般保证 抵押权 质权 留置 典当 "
        "反担保 保函 保证期间 抵押物 押金"
        " 抵押贷款 担保责任 保证责任 担保书 押给 扣着 抵押给"
    ),
}
LEXICON["general"] = _words(
    "打官司 起诉 法院 律师 法律援助 调解 诉讼费 上诉 传票 判决 公证 证据 录音 签的字 哪个法院 不执行"
)

REFINABLE["general"] = set(LEXICON) - {"general"}


# The lexicon's words by their first character, in LEXICON's order: a text holds a word only if it holds the
# word's first character, so a text is checked against the words starting with one of its own characters rather
# than against all of them (every consultation taken in is classified: bench/bench_matters.py).
_BY_FIRST: dict[str, list[tuple[str, str]]] = {}
for _topic, _words_of_topic in LEXICON.items():
    for _word in _words_of_topic:
        _BY_FIRST.setdefault(_word[0], []).append((_topic, _word))


def lexicon_hits(text: str) -> dict[str, int]:
    """Per topic, how many distinct lexicon words occur in ``text`` (a word inside a longer hit counts too)."""
    counts: dict[str, int] = {}
    for char in set(text):
        for topic, word in _BY_FIRST.get(char, ()):
            if word in text:
                counts[topic] = counts.get(topic, 0) + 1
    # In LEXICON's order, as lexicon_topic's ties need.
    return {topic: counts[topic] for topic in LEXICON if topic in counts}


def lexicon_topic(text: str, *, min_hits: int = 1) -> str | None:
    """The topic with most lexicon hits (ties: taxonomy order via dict order), or None below ``min_hits``."""
    hits = lexicon_hits(text)
    if not hits:
        return None
    best = max(hits.items(), key=lambda kv: kv[1])  # max keeps the first of equals: LEXICON order
    return best[0] if best[1] >= min_hits else None
