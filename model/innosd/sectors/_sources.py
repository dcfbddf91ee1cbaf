"""Source strings shared by the sector modules.

Every element carries a ``source``: a seed clause (file number and section, quoting the
Chinese text), a literature entry with the URL it was read from (all from
``shared/docs/literature-priors.md``), or ``assumption: <reason>``.  The strings that
several sectors cite are collected here so that each is written once.
"""

# --- seeds -----------------------------------------------------------------------------
S002_BASE = ("002 一、基础与形势(一)发展基础: 高新技术企业、科技型中小企业由“十三五”初期的 131 家、"
             "3110 家跃升至 530 家、7141 家")
S002_TABLE = "002 二、(三)主要目标, “十四五”时期科技创新主要指标表 (2020年完成值/2022/2025目标值)"
S002_CONTRACTS = "002 一、(一)发展基础: 技术合同交易登记额由 2016 年的 7.87 亿元增长到 2020 年的 35.9 亿元"
S002_PLATFORMS = "002 一、(一)发展基础: 建成国家级创新平台 23 个，省级创新平台 137 个，市级创新平台 935 个"
S002_SIPHON = "002 一、(二)面临形势: 还要面对石家庄、邯郸两大传统经济大市创新资源虹吸的严峻挑战"
S002_STATS = "002 四、(三)1: 督促企业和科研机构规范管理，做到账表“应建尽建”、费用“应提尽提”、数据“应统尽统”"
S002_RD_ACTIVE = "002 四、(三)1: 规模以上工业企业中有研发活动企业占比达到 38%以上 (2025); 附件第10项: 20%以上 (2022)"
S002_HTE_POOL = "002 四、(三)2: 加大高新技术企业精准培育力度，完善后备培育库制度"
S002_SRDI = "002 四、(三)2: 到 2025 年 ... 省级以上“专精特新”中小企业 ... 440 家; 附件第11项: 专精特新新增60家 (2022)"
S002_ZONES = "002 四、(一)4: 全市开发区高新技术企业数量占全市高新技术企业总数的比例达到80%以上 (2025); 附件第5项: 50%以上 (2022)"
S002_COUNTY = ("002 四、(一)3: 到2025年，实现15个县(邢台经济开发区、邢东新区不纳入跃升计划)跃升至B类及以上，"
               "其中A类县的数量达到3个以上; 附件第4项: A类县达到3个，B类县达到9个")
S002_INCUBATORS = "002 四、(二)5: 到 2025 年，省级以上众创空间(星创天地)、孵化器等科技孵化平台达到 100 家以上"
S002_PLATFORM_TARGETS = "002 四、(二)1: 到 2025 年，建成省级以上企业技术中心 80 家，省级技术创新中心 120 家"
S002_TRANSFER_STAFF = "002 四、(六)1: 到2025年 ... 全市技术转移人才达到200人; 附件第17项: 140人 (2022)"
S002_TRANSFERS = ("002 一、(一): 促进重大科技成果转化和产业化 105 项 (十三五); 四、(六)3: 到 2025 年，"
                  "组织实施 150 项科技重大成果转化项目")
S002_TALENT_SHORTAGE = "002 一、(二): 三是创新人才匮乏。科技人才队伍总量不足，人才结构性矛盾突出"
S002_GRADUATES = "002 四、(七)1: 持续实施万名大学生招引计划，吸引大学生和各类人才来邢就业创业"
S002_TALENT = ("002 四、(七)1: 每年重点支持引进 2 个高层次产业创新创业团队和 20 名科技型中小企业创新英才。"
               "到 2025 年，力争领军型创新创业团队累计达到 50 个，创新型人才累计达到 1000 人")
S002_HIGH_SKILL = "002 四、(七)2: 到 2025 年，新增高技能人才 2000 人; 附件第21项: 新增高技能人才 400 人 (2022)"
S002_FINANCE = "002 四、(九)2: 推动科技金融深度融合 ... 支持开展投贷联动、知识产权质押贷款"
S002_POPULAR = "002 四、(九)4: 创新科普传播方式，提升科普基地功能; 指标表: 公民具备科学素质的比例 10.05% (2020), 15% (2025)"
S002_LEDGER_PLATFORMS = "002 附件第6项: 新建省级创新平台10家，培育市级创新平台50家 (2022)"
S002_LEDGER_MAKER = "002 附件第9项: 新增众创空间(星创天地) 100 家 (2022)"
S002_FISCAL = "002 五、(三)加大科技投入: 严格落实财政对科技投入只增不减的要求，持续加大财政科技投入力度"
S002_FISCAL_SHARE = ("002 一、(二): 全社会研发投入占地区生产总值比重、地方财政科技支出占地方财政支出比重、"
                     "规上工业企业研发投入占营业收入比重 3 项 ... 均长期处于全省落后地位")
S002_SUBSIDY = "002 四、(三)1: 落实好科技型企业税收优惠和企业研发投入后补助政策"

S001_TARGETS = "001 一、工作目标 (2023/2025/2027)"
S001_SOE = "001 二、(一)3: 到2025年，市国资委监管企业研发投入年均增幅不低于20%"
S001_FIRMS = "001 二、(二)工作目标: 每年新增科技领军企业1家以上、高新技术企业50家以上、国家科技型中小企业100家以上，每年培育“专精特新”中小企业50家"
S001_HTE_POOL = "001 二、(二)2: 实施精准培育，建设后备培育库，集中资金、政策、服务等对入库企业进行精准帮扶"
S001_SME_TIERS = "001 二、(二)3: 发展壮大国家科技型中小企业。实行梯度培育、差异扶持"
S001_SRDI = "001 二、(二)4: 建立邢台市优质中小企业动态培育库 ... 梯度培育体系"
S001_COMMISSIONERS = "001 二、(三)工作目标: 2023年，新选派科技特派员180人以上"
S001_FINANCE = "001 二、(三)4: 鼓励银行业金融机构对科技企业提供信用贷款、知识产权质押贷款 ... 力争全年新增科技企业贷款规模增加10%"
S001_KEY_PROJECTS = ("001 二、(四)工作目标: 到2023年 ... 启动关键核心技术攻关项目20项；到2025年，关键核心技术攻关项目超过60项；"
                     "到2027年 ... 突破80项; 二、(四)2: 每年支持30项重点研发项目")
S001_TRANSFERS = ("001 二、(五)2 实施重大科技成果转化专项 工作目标: 到2023年，支持10项 ... 科技成果 ... 到2025年，累计实施30项项目。"
                  "到2027年形成50项以上达到产业化标准的新工艺、新产品")
S001_KEY_RD_YEARLY = "001 二、(四)2: 设立京津冀合作专项、揭榜挂帅专项、青年科技人才专项等，每年支持30项重点研发项目"
S001_PILOT = ("001 二、(五)2(3): 实施中试熟化基地推进计划，支持政府、企业、高校、科研院所等共建一批中试熟化平台; "
              "002 四、(六)1: 推进中试熟化和产业化基地建设; 四、(六)3: 共建一批中试熟化平台")
S001_RD_ABOVE_PROVINCE = "001 一、工作目标: 全市全社会研发经费投入增长15%以上，高于全省平均水平增速 (2023)"
S001_BROKERS = "001 二、(五)3 工作目标: 推动高校技术转移机构全覆盖，年组织培育技术经理人30人以上"
S001_CONTRACTS = "001 二、(五)1 工作目标: 每年技术合同成交总额增长5亿元左右"
S001_BJT = "001 二、(十)工作目标: 每年吸引京津技术合同成交额增长10%左右"
S001_RD = "001 二、(一)工作目标: 全社会研发经费年均增长15%; 一、到2025年全社会研发经费超过38亿元"
S001_TAX = "001 二、(一)2: 做好研发费用加计扣除、企业研发后补助、高新技术企业所得税减免等税收优惠政策的宣传和落实"
S001_PLATFORMS = "001 二、(六)1 工作目标: 2023年，新建省级重点实验室、工程研究中心等创新平台5家 ... 到2025年 ... 新建 ... 15家以上"
S001_LITERACY = "001 二、(十一)6: 提升全民科学素质水平 ... 加强科普宣传教育，推进科普基础设施建设"
S001_VOUCHER = "001 二、(十)4: 不断扩大京津冀大型科研仪器开放共享服务、科技创新券的覆盖面和知晓度"
S001_TALENT = "001 二、(十)3: 引进京津高水平科技人才 ... 引进一批带技术、带成果、带项目的高层次创新创业团队"
S001_UNIV = "001 二、(一)4: 支持高等学校、科研院所加大研发投入。进一步加大对高校院所科技经费支持力度"

S000_COMPLEX = ("000 二、主要目标: 2020年—2022年，襄都区、信都区、任泽区、南和区、开发区、邢东新区每年新建科技创新综合体"
                "不少于1家；其余县(市、区)到2022年至少新建1家。到2022年底全市建成科技创新综合体30家以上")
S000_REWARD = "000 四、(三)实施考核评价: 完成考核目标的，给予每家科技创新综合体依托单位 50 万元配套奖励资金"
S000_SERVICE = "000 一、总体要求: 为广大中小企业特别是科技型中小企业提供专业服务，着力构建创新创业生态系统"
S000_UNITS = "000 附件 邢台市科技创新综合体布局表: 20 个县(市、区)、开发区、邢东新区"

S003_TIERS = "003 四、阶段性任务: 2020年度科技创新评价结果A类县、B类县、C类县分别为8个、4个、9个 (21 个县(市、区))"
S003_THRESHOLDS = ("003 五、(二)4-5、(四)14: 2022年度 A类县 地方财政科技支出7000万元、规上工业R&D/主营业务收入1.5%、"
                   "高新技术企业90家; B类县 4000万元、1.0%、40家")
S003_SERVICES = "003 五、(三)10. 强化创新创业服务支撑: 2022年度，省级以上创新创业服务机构分别达到 A类县20家、B类县5家"
S003_FUND = "003 六、(二): 2022—2025年每年设立1500万元县域科技创新能力跃升专项资金"
S003_FISCAL = "003 五、(二)4: 落实地方财政科技支出经费年均增速不低于30%目标"

S004_PROVINCIAL = "004 二、主要目标: 到2020年，实现省、市、县三级产业创新服务综合体数量达到30家以上，其中省级10家"

# --- seeds, added with the target-indicator elements ------------------------------------
S002_PLATFORM_TYPES = ("002 四、(二)1: 建成市级以上产业技术研究院 30 家，市级技术创新中心 180 家，"
                       "市级企业研发中心 300 家 (2025)")
S002_KEY_LABS = ("002 四、(二)2: 支持引导现有 5 家省级以上重点实验室 ... 到 2025 年，建成市级以上重点实验室 30 家; "
                 "附件第7项: 新增市级重点实验室 4 家 (2022)")
S002_NEW_RD_INST = ("002 四、(二)3: 大力支持龙头企业牵头、协同上下游企业和高校院所组建新型研发机构 ... 到 2025 年，"
                    "力争培育建设市级以上新型研发机构 20 家; 附件第8项: 培育建成市级以上新型研发机构10家 (2022)")
S002_CONSORTIA = ("002 四、(三)3: 推动有条件的科技领军企业联合行业上下游、产学研力量牵头组建创新联合体 ... "
                  "到 2025 年，组建创新联合体 3 家，省级备案产业技术创新战略联盟 15 家")
S002_ALLIANCES = ("002 四、(三)3: 鼓励行业领军企业牵头 ... 建设产业技术创新战略联盟 ... 省级备案产业技术创新战略联盟 15 家 (2025); "
                  "附件第12项: 新增省级产业技术创新战略联盟1家、市级产业技术创新战略联盟3家 (2022)")
S002_SEEDS = ("002 四、(四)1: 到 2025 年，审定新品种 5 项以上，引进示范新品种 10 项以上; 专栏5: 争取有10个以上苗头品系"
              "进入国家和省级试验; 附件第13项: 审定新品种1项以上,引进示范新品种3项以上 (2022)")
S002_AGRI_TECH = ("002 四、(四)2: 到2025年，开展适宜我市农业结构的关键共性技术研发 20 项以上; "
                  "附件第14项: 开展 ... 关键共性技术研发5项以上 (2022)")
S002_TTO = ("002 四、(六)1: 合理布局建设市县技术转移服务机构 ... 重点支持高校院所设立技术转移机构，到2025年，"
            "实现我市本科院校技术转移机构全覆盖; 附件第17项: 新建1家技术转移服务机构 (2022)")
S002_INTL = ("002 四、(八)3: 积极推进多种形式省级国际科技合作基地建设 ... 到2025年，省级国际科技合作基地达到10个; "
             "附件第23项: 新建省级国际科技合作基地1个 (2022)")
S002_IP_FINANCE = ("002 四、(九)3: 探索推进知识产权资本化、证券化途径，每年引导支持10家以上企业开展专利权质押贷款、"
                   "作价入股、保险等知识产权服务")
S002_ZONE_INCUBATORS = "002 四、(一)4: 到 2025 年，每家开发区建成 1 家孵化器"
S002_XINGDONG = ("002 四、(一)1 加快建设邢东科技城: 重点发展高端装备制造、数字经济、新能源、新材料 ... "
                 "高新技术产业增加值占规上工业增加值的比重达到 30%以上")
S002_AWARDS = "002 一、(一): 获国家科学技术奖 4 项、河北省科学技术奖 21 项 (十三五)"
S002_NEW_PRODUCTS = "002 一、(一): 组织实施重点创新项目 528 个 ... 研发重点新产品、新技术、新工艺 820 项 (十三五)"
S002_UNIVERSITIES = "002 四、(二)2: 重点支持邢台学院、河北科技工程职业技术大学、河北机电职业技术学院等高校"
S001_SERVICE = ("001 二、(三)实施重点企业服务行动: 2023年,新选派科技特派员180人以上、企业科技特派团8个、"
                "县域特色产业科技特派团2个,精准服务产业链链主企业3家、产业链骨干企业10家。到2025年,"
                "精准服务产业链链主企业超过20家、产业链骨干企业超过50家")
S001_INSTITUTES = ("001 二、(六)1: 2023年 ... 重组优化16家省级产业技术研究院。到2025年 ... "
                   "高水平产业技术研究院达到2家")
S001_ZONE_REVENUE = "001 二、(七)1: 加快提升开发区发展能级，全市开发区营业收入年均增长10%以上"
S004_AREA = ("004 四、建设重点1: 重点依托现有存量平台和载体进行提升、改造，结合“虚拟入驻” ... 场所面积一般不低于"
             "2000平方米(县级),5000平方米(市级),10000平方米(省级)")

# --- observations (shared/data/observations_to_2020.csv) -------------------------------------
OBS_BUREAU_2020 = "observations_to_2020.csv: Xingtai S&T bureau 2020 year-end report, https://kjj.xingtai.gov.cn/article/33354"
OBS_POP = ("observations_to_2020.csv: Xingtai resident population 729.44 万 (2015, aggregator "
           "http://huaxiashiwen.com/news/shuju/679168.html) and 711.11 万 (2020 census)")
OBS_GDP = "observations_to_2020.csv: Xingtai GDP 2020 ≈ 2200.4 亿元 (aggregator http://shadafang.com/a/tt/0R61a41912021.html)"
OBS_COUNTY_HEBEI = ("literature: Hebei county tiers A≥80, B 60–80, C<60 points (冀政办字〔2019〕9号), "
                    "http://cangzhou.021cf.cn/index.php/post/3906.html")
OBS_COMPLEX_STARTED = OBS_BUREAU_2020 + ": 六个中心城区科创综合体建设全力起步 (2020)"
OBS_ST_FUNDS = OBS_BUREAU_2020 + ": 72个项目争取省科技资金9826万元 (2020)"
OBS_HEBEI_AVG = "observations_to_2020.csv: Hebei county evaluation average score 56.26 (2020), http://dcqhyn.cn/news/show-113611.html"

# --- literature (shared/docs/literature-priors.md) -------------------------------------
L_CHEN = ("literature: Chen, Liu, Suárez Serrato & Xu (2021) AER 111(7), HTE notch: user-cost elasticity 2 (reported) / "
          "1.14 (real), relabelling 45% (30% in NBER w24749), "
          "https://dukespace.lib.duke.edu/items/63bbbcde-17ed-4583-8e69-3bf3e785b8d4")
L_CHEN_NBER = "literature: Chen et al., NBER w24749, relabelling 30%, https://www.nber.org/papers/w24749"
L_SUPER = ("literature: R&D super-deduction timeline (50% 2008; 75% all firms 2018; 100% manufacturing 2021; 100% all 2023), "
           "https://home.kpmg/us/en/home/insights/2021/05/tnf-china-rd-super-deduction-extended-increased-for-manufacturers.html ; "
           "https://china-training.org/index-260.html")
L_HTE_RULES = ("literature: HTE Measures 国科发火〔2016〕32号: 3-year validity, 15% CIT, R&D ≥3–5% of sales, "
               "https://english.shanghai.gov.cn/en-HighTechEnterpriseAccreditation/20240515/2f07721834224fe2ad3706b83fdd3534.html")
L_HTE_REVOKE = ("literature: HTE annual report; missing it two years running → qualification revoked, "
                "https://english.shanghai.gov.cn/en-HighTechEnterpriseAccreditation/20240516/66ab692b430849779bbee807dbccb2a5.html")
L_SME_RULES = "literature: 国科火字〔2019〕87号, tech-SME registration number 当年有效 (valid one year), https://youyongzixun.com/news/show-398.html"
L_SRDI = ("literature: SRDI (专精特新) support must be re-earned after three years, "
          "https://new.merics.org/en/report/accelerator-state-how-china-fosters-little-giant-companies")
L_NOT_FOUND = "literature-priors.md §2.6: HTE re-certification pass rate and SME→HTE conversion rate NOT found in public sources"
L_TALENT_NOT_FOUND = ("literature-priors.md §2.5: no Hebei/Xingtai talent attrition rate found; SD talent models "
                      "use attractiveness (https://www.lw33.cn/article/671297c6b89540b2869c4e21.html)")
L_HALL_DEP = ("literature: Hall (2007) IFS WP 06/23, R&D depreciation 'usually equal to 15 per cent' (band 0.10–0.30), "
              "https://www.ifs.org.uk/publications/rd-productivity-and-market-value")
L_PIM = "literature: perpetual-inventory R&D capital stock, 刘建翠、郑世林 2016, https://m.fx361.cc/news/2017/0105/13733538.html"
L_PATENT_ELAST = ("literature: R&D elasticity of patenting ≈0.5–0.7 (HHG 1984 summary) to ≈1 cross-section "
                  "(Griliches 1990), http://www.rufuspollock.org/economics/notes/notes_on_griliches_1990.txt ; "
                  "https://methodatlas.vercel.app/labs/lab-poisson-replication")
L_PATENT_KPF = ("literature: China KPF, R&D capital elasticity > personnel elasticity, roughly constant returns, "
                "http://www.zgkjlt.org.cn/CN/abstract/abstract9303.shtml")
L_PATENT_LAG = ("literature: invention-patent pendency ≈16 months (2023), 13.3–19.1 months (2021); recommended grant lag 1.5 yr, "
                "https://generationt.asia/china-to-speed-up-patent-application-analysis-process/ ; "
                "http://en.people.cn/n3/2021/0829/c90000-9889316.html")
L_PATENT_LAPSE = ("literature: patent elimination (obsolescence) rate is the most influential parameter in the Nanjing SD model, "
                  "https://dc.tsinghuajournals.com/complex-system-modeling-and-simulation/vol1/iss1/6/")
L_VOUCHER = ("literature: Cornet, Vroomen & van der Steeg 2006, 8 of 10 innovation vouchers additional, "
             "https://www.innovationgrowthlab.org/content/do-innovation-vouchers-help-smes-cross-bridge-towards-science")
L_BROKERS = ("literature: intermediated technology deals skew small (mostly < 500k yuan), 宋丕丞 2021, "
             "http://www.kjjb.org/fileup/HTML/2021-38-21-003.htm ; R&D project count most sensitive to intermediaries, "
             "https://dc.tsinghuajournals.com/complex-system-modeling-and-simulation/vol1/iss1/6/")
L_BJT = "literature: Beijing→Tianjin/Hebei technology contracts grew >25%/yr since 2013, http://china.org.cn/business/2025-03/28/content_117792897.htm"
L_GRANT = ("literature: government R&D grant raises firm's own R&D by 4–9 M yuan (crowding-in), Hu & Deng, "
           "http://120.26.44.124:3004/details/1/889255508 ; crowding-out in the third year, Zhang & Wu, "
           "https://www.tsijournals.com/abstract/crowdingin-or-crowdingout-effect-of-st-input-of-government-on-rd-expenditure-of-enterprise-in-china-9662.html")
L_COUNTY = ("literature: Hebei 县域科技创新跃升计划: A ≥ 80, B 60–80, C < 60 points; 17 indicators incl. fiscal S&T, "
            "R&D/revenue, HTE count, http://cangzhou.021cf.cn/index.php/post/3906.html ; "
            "http://sjzshi.com/forum.php?goto=lastpost&mod=redirect&tid=20191")
L_RD_PERSONNEL = ("literature: China R&D personnel grew >7%/yr 2016–2020 (3.878M → 5.092M person-years), "
                  "https://window-to-china.de/2021/09/03/3-9-chinas-human-resources-in-st-increase/")
L_ANHUI = ("literature: Anhui 2018, 2,051 of 4,303 evaluated tech SMEs were HTEs (47.7%, a stock ratio), "
           "https://hefeiconnect.com/4303-technology-based-smes-in-anhui-shortlisted-for-the-database-in-2018/")
L_SUBSIDY_VAR = ("literature: provincial R&D subsidies, +1 s.d. → −6.5% private R&D, +2.6% R&D personnel, "
                 "https://peeref.com/zh/works/24181105")
L_TRANSFER_TAX = ("national rule: 企业所得税法 第二十七条(四) and 实施条例 第九十条, in force since 2008: a resident firm's "
                  "technology-transfer income up to 5 M CNY a year is exempt from corporate income tax, the excess taxed at half "
                  "the rate; most intermediated deals are under 0.5 M CNY (" + L_BROKERS + ")")
OBS_HEBEI_RD = ("calibration/hebei/observations.csv: Hebei R&D expenditure 310.78 亿 (2012), 494.19 亿 (2016), 634.4 亿 (2020), "
                "low confidence (mirror pages of the provincial bulletins)")
