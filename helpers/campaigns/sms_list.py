"""短信发送名单：一次短信营销（SmsCampaign）的收件人、费用、交给短信平台的名单，以及发送记录和频率限制。

建立在 helpers.sms.plan_sms 之上（签名【店铺名】、回T退订、去掉退订和没手机号的客户、按条计费），
再去掉手机号无效的、号码重复的、cap_days 天内已经收到过营销短信的客户。
手机号怎么规范由 helpers.privacy.normalize_phone 决定。这里只写文件，不会联网发送。
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..columns import chinese_headers
from ..export import restore_formulas, write_csv, write_xlsx
from ..privacy import is_masked, mask_phone, normalize_phone
from ..sms import OPT_OUT, SmsPlan, plan_sms
from ..validation import checked, parse_date

SEND_LIST_COLUMNS = ("手机号", "短信内容")      # 大多数短信平台“批量发送 / 个性化短信”接受的两列
LOG_COLUMNS = ("customer_id", "send_date", "channel", "campaign")

_MASKED_PHONES = (
    "这份名单里的手机号已经打码（例如 138****1234），短信平台没法把短信发给打码的号码。"
    "打码是为了在课堂、笔记本和截图里保护客户的隐私，所以工作簿默认在导入时就打码。\n"
    "真要发送时，请在自己的电脑上用 read_taobao_orders(..., mask_phones=False) 重新导入，"
    "再生成发送名单；名单里是客户的真实号码，只上传到你的短信平台，不要发给别人、不要放进共享文件夹。\n"
    "只想看看发送名单长什么样，用 preview() 即可（号码打码）。")


def _check_new_file(path, suffixes, overwrite: bool) -> Path:
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise ValueError(f"文件名应以 {' 或 '.join(suffixes)} 结尾，收到的是 {path.name}。")
    if path.exists() and not overwrite:
        raise ValueError(f"文件 {path} 已经存在。为了不覆盖你的文件，请换个文件名，或传入 overwrite=True。")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------------------
# 一、发送记录与频率限制
# ---------------------------------------------------------------------------
@checked
def read_send_log(path: str | Path) -> pd.DataFrame:
    """读取发送记录（CSV：customer_id、send_date、channel、campaign），文件不存在时返回空表。"""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LOG_COLUMNS}).astype({"send_date": "datetime64[ns]"})
    log = restore_formulas(pd.read_csv(path, dtype={"customer_id": str, "channel": str, "campaign": str},
                                       encoding="utf-8-sig"))
    missing = [c for c in ("customer_id", "send_date") if c not in log.columns]
    if missing:
        raise ValueError(f"发送记录 {path.name} 缺少列：{'、'.join(missing)}。需要的列：{'、'.join(LOG_COLUMNS)}。")
    log["send_date"] = pd.to_datetime(log["send_date"], format="ISO8601").dt.normalize()
    return log


@checked
def recently_contacted(log: pd.DataFrame, send_date, cap_days: int, channel: str = "短信") -> pd.Series:
    """频率限制：send_date 之前 cap_days 天内（不含第 cap_days 天）收到过营销信息的客户编号。

    例如 cap_days=7、send_date=7 月 1 日：6 月 25 日到 7 月 1 日发过的客户这次不发；6 月 24 日发过的可以发。
    """
    if cap_days is None or cap_days <= 0 or log is None or not len(log):
        return pd.Series([], dtype=object, name="customer_id")
    day = parse_date(send_date, "send_date")
    rows = log if "channel" not in log.columns else log[log["channel"].fillna(channel) == channel]
    dates = pd.to_datetime(rows["send_date"]).dt.normalize()
    last = dates.groupby(rows["customer_id"].astype(str)).max()
    return pd.Series(last.index[(day - last).dt.days < cap_days], name="customer_id", dtype=object)


# ---------------------------------------------------------------------------
# 二、一次短信营销
# ---------------------------------------------------------------------------
@checked
class SmsCampaign:
    """一次短信营销：个性化内容、签名和退订提示、排除名单、频率限制、发送名单和费用。

    参数
    ----
    audience : 目标客户（Segment.select 的结果，以 customer_id 为索引；要有 phone、sms_opt_out，最好有 nickname）。
    text : 短信正文，可用 {昵称}，以及 values 里给出的占位符（例如 {券面额}）。
    shop_name : 店铺签名，会加成【店铺名】；结尾自动加“回T退订”。
    name : 活动名称，写进发送记录。
    values : 其他占位符的值，例如 {"券面额": 10}。
    price : 每条计费短信的单价（元）。
    send_date : 计划发送的日期（例如 shop.today）；用频率限制或写发送记录时必须给出。
    send_log : 以前的发送记录（read_send_log 的结果，或含 customer_id、send_date 的表）。
    cap_days : 频率限制：同一位客户 cap_days 天内最多收到 1 条营销短信；0 表示不限制。
    opt_out : 退订提示，默认“回T退订”。
    """

    def __init__(self, audience: pd.DataFrame, text: str, shop_name: str, *, name: str = "短信营销",
                 values: dict | None = None, price: float = 0.05, send_date=None, send_log=None,
                 cap_days: int = 7, opt_out: str = OPT_OUT):
        if send_log is not None and len(send_log) and send_date is None:
            raise ValueError("有发送记录时必须写明这次的发送日期 send_date（例如 send_date=shop.today）："
                             "工作簿从不用电脑的当前日期。")
        self.name = str(name)
        self.shop_name = shop_name
        self.send_date = None if send_date is None else parse_date(send_date, "send_date")
        self.cap_days = int(cap_days or 0)
        self.audience_size = len(audience)
        plan = plan_sms(audience, text, shop_name, price=price, opt_out=opt_out, values=values)
        messages = plan.messages
        ids = messages.index.astype(str)                 # 客户编号是数字还是文字，频率限制都一样认
        capped = ids.isin(recently_contacted(send_log, self.send_date, self.cap_days)) \
            if send_log is not None and len(send_log) else np.zeros(len(messages), dtype=bool)
        raw = audience.loc[messages.index, "phone"].astype("string").str.strip()
        # 同一个号码的不同写法（138 0013 8000 与 +86-138-0013-8000）规范成同一个，是同一位收件人；
        # 已经打码的号码（138****1234）原样留着：不算无效，但写不了真正的发送名单（见 send_list）
        phones = normalize_phone(raw, keep_masked=True)
        masked = is_masked(phones).to_numpy()
        invalid = phones.isna().to_numpy()
        duplicate = (phones.duplicated(keep="first").to_numpy() & ~masked) & ~capped & ~invalid
        keep = ~capped & ~duplicate & ~invalid
        self.invalid_phones = pd.DataFrame({"customer_id": messages.index[invalid].astype(str),
                                            "手机号（打码）": mask_phone(raw[invalid]).to_numpy(),
                                            "原因": "不是有效的中国大陆手机号（11 位，1 开头）"})
        self.excluded = {**plan.excluded, "手机号无效": int(invalid.sum()),
                         f"{self.cap_days} 天内发过营销短信": int(capped.sum()), "手机号重复": int(duplicate.sum())}
        self.plan = SmsPlan(template=plan.template, messages=messages[keep], excluded=self.excluded, price=plan.price)
        self._phones = phones[keep]

    @property
    def template(self) -> str:
        """加好签名和退订提示的短信模板。"""
        return self.plan.template

    @property
    def messages(self) -> pd.DataFrame:
        """每位收件人一行：nickname、phone（打码）、text、length、parts。"""
        return self.plan.messages

    @property
    def recipients(self) -> int:
        return self.plan.recipients

    @property
    def phones_masked(self) -> bool:
        """名单里是否有打码的手机号（有就不能生成真正的发送名单）。"""
        return bool(is_masked(self._phones).any())

    def summary(self) -> pd.Series:
        """这次短信营销的中文小结：目标客户、排除了谁、收件人、计费条数、总费用。"""
        lengths = self.messages["length"]
        rows = {"目标客户（人）": self.audience_size}
        rows.update({f"排除：{k}（人）": v for k, v in self.excluded.items()})
        rows.update({"收件人（人）": self.recipients,
                     "最长一条（字）": int(lengths.max()) if len(lengths) else 0,
                     "计费条数（条）": self.plan.total_parts, "单价（元/条）": self.plan.price,
                     "总费用（元）": self.plan.cost})
        return pd.Series(rows, name=self.name, dtype=object)

    def preview(self, n: int = 5) -> pd.DataFrame:
        """发送名单的样子（短信平台要的两列：手机号、短信内容），手机号打码，随时可以看。"""
        head = self.messages.head(n)
        return pd.DataFrame({"手机号": mask_phone(self._phones.head(n)).to_numpy(), "短信内容": head["text"].to_numpy()},
                            index=chinese_headers(head[[]]).index)      # 索引名也用中文：客户编号

    def send_list(self) -> pd.DataFrame:
        """真正的发送名单（真实手机号 + 短信内容）。手机号打了码时拒绝，并说明原因。"""
        if self.phones_masked:
            raise ValueError(_MASKED_PHONES)
        return pd.DataFrame({"手机号": self._phones.astype(str).to_numpy(),
                             "短信内容": self.messages["text"].to_numpy()}, columns=list(SEND_LIST_COLUMNS))

    def write_send_list(self, path, overwrite: bool = False, encoding: str = "utf-8-sig") -> Path:
        """把发送名单写成 CSV 或 Excel（两列：手机号、短信内容），上传到短信平台的“批量发送”。

        参数
        ----
        path : .csv 或 .xlsx 文件。为保护已有文件，默认不覆盖，需要时传 overwrite=True。
        overwrite : 文件已存在时是否覆盖。
        encoding : CSV 的编码；默认 UTF-8 带 BOM，平台要求 GBK 时传 "gbk"。
        手机号一律写成文本，Excel 不会把它变成数字或科学计数法。
        """
        table = self.send_list()
        path = _check_new_file(path, (".csv", ".xlsx"), overwrite)
        if path.suffix.lower() == ".xlsx":
            write_xlsx(path, {"发送名单": table})
        else:
            write_csv(table, path, index=False, encoding=encoding, lineterminator="\r\n")
        return path

    def log(self) -> pd.DataFrame:
        """这次发送要记进发送记录的行（customer_id、send_date、channel、campaign），用于下次的频率限制。"""
        if self.send_date is None:
            raise ValueError("写发送记录需要发送日期：请在创建 SmsCampaign 时传 send_date=（例如 shop.today）。")
        return pd.DataFrame({"customer_id": self.messages.index.astype(str), "send_date": self.send_date,
                             "channel": "短信", "campaign": self.name}, columns=list(LOG_COLUMNS))

    def append_to_log(self, path) -> Path:
        """把这次的收件人追加到发送记录文件（CSV）；文件不存在时新建。原有的行不会改动。"""
        path = Path(path)
        rows = self.log().assign(send_date=self.send_date.date().isoformat())
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        with open(path, "a", encoding="utf-8-sig" if new else "utf-8", newline="") as f:
            write_csv(rows, f, index=False, header=new)
        return path
