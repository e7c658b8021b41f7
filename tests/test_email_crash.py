"""问题 11 §5：邮件发送没有人收到两封，也没有人被悄悄漏掉。

- 发送进程在随机时刻被 kill -9，再续发：没有人收到两封；“结果不明”的人被列出来、默认不重发。
- 发送记录最后一行只写了一半：跳过那一行并提示，不崩溃。
- 只差大小写、空格的地址是同一位收件人；暂时拒收（4xx）有限次重试，永久拒收（5xx）记下来。
"""
from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from helpers.campaigns import EmailCampaign
from helpers.campaigns.email_send import _read_record

N = 24


def audience(n=N):
    return pd.DataFrame({"nickname": [f"客户{i}" for i in range(n)],
                         "email": [f"user{i}@example.com" for i in range(n)],
                         "email_opt_out": [False] * n},
                        index=pd.Index([f"C{i:03d}" for i in range(n)], name="customer_id"))


def campaign(aud):
    return EmailCampaign(aud, "新品", "新品到店。", "龙井", 100, "https://shop.example.com/1",
                         shop_name="青禾茶舍", sender="shop@example.com", image=b"\x89PNG\r\n\x1a\n", date="2024-07-01")


class SlowBox:
    """收下每一封邮件前停一小会儿（让 kill -9 有机会落在发送途中）；可以先暂时拒收几次。"""

    def __init__(self, delay=0.02, temporary=None):
        self.received, self.delay = [], delay
        self.temporary = dict(temporary or {})

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.temporary.get(address, 0) > 0:
            self.temporary[address] -= 1
            return "451 4.7.1 try again later"
        if address.startswith("bad"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.received.append(envelope.rcpt_tos[0])
        return "250 Message accepted"



CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from test_email_crash import audience, campaign
    campaign(audience()).send("127.0.0.1", {port}, record={record!r}, retry_pause=0)
""")


@pytest.mark.parametrize("trial", range(5))
def test_kill_9_at_a_random_moment_then_resume_sends_nobody_twice(smtp_server, tmp_path, trial):
    box = SlowBox()
    port = smtp_server(box)
    record = tmp_path / "发送记录.csv"
    code = CHILD.format(tests=str(Path(__file__).parent), port=port, record=str(record))
    child = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    rng = random.Random(trial)
    deadline = time.monotonic() + 60
    # 等到已经发出几封，再在随机时刻 kill -9
    while len(box.received) < 2 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.005)
    time.sleep(rng.uniform(0, 0.2))
    os.killpg(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    before = list(box.received)
    assert len(set(before)) == len(before)

    with pytest.warns(UserWarning) if record.exists() and not record.read_bytes().endswith(b"\n") else _nothing():
        report = campaign(audience()).send("127.0.0.1", port, record=record, retry_pause=0)
    got = list(box.received)
    assert len(got) == len(set(got)), "有人收到了两封"
    unknown = set(report.unknown["customer_id"])
    assert len(unknown) <= 1                                       # 最多一封正在发送途中
    missing = {f"user{i}@example.com" for i in range(N)} - set(got)
    assert missing == {f"user{int(c[1:])}@example.com" for c in unknown if f"user{int(c[1:])}@example.com" not in got}
    if unknown:
        assert "结果不明" in str(report) and "resend_unknown=True" in str(report)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_torn_last_line_is_skipped_with_a_warning(smtp_server, tmp_path):
    box = SlowBox(delay=0)
    port = smtp_server(box)
    record = tmp_path / "发送记录.csv"
    campaign(audience(3)).send("127.0.0.1", port, record=record)
    raw = record.read_bytes()
    record.write_bytes(raw[:-15])                                 # 最后一行写到一半
    with pytest.warns(UserWarning, match="1 行不完整"):
        table = _read_record(record, "邮件营销")
    assert len(table) == 5                                        # 6 行里完整的 5 行
    with pytest.warns(UserWarning, match="1 行不完整"):
        report = campaign(audience(3)).send("127.0.0.1", port, record=record)
    # 最后一行是 C002 的结果：丢了以后只剩“准备发送”，算结果不明，不重发
    assert report.unknown["customer_id"].tolist() == ["C002"] and len(box.received) == 3
    with pytest.warns(UserWarning, match="1 行不完整"):                # 那半行还在文件里，照样跳过
        assert _read_record(record, "邮件营销")["customer_id"].tolist()[-1] == "C002"   # 续写在新的一行


def test_addresses_differing_in_case_or_spaces_are_one_recipient():
    aud = audience(3).assign(email=["Lin@Example.com", " lin@example.com ", "other@example.com"])
    mail = campaign(aud)
    assert list(mail.recipients.index) == ["C000", "C002"] and mail.excluded["邮箱重复"] == 1


def test_temporary_refusals_are_retried_and_permanent_ones_recorded(smtp_server, tmp_path):
    aud = audience(3).assign(email=["user0@example.com", "bad@example.com", "user2@example.com"])
    box = SlowBox(delay=0, temporary={"user0@example.com": 2, "user2@example.com": 5})
    port = smtp_server(box)
    report = campaign(aud).send("127.0.0.1", port, record=tmp_path / "r.csv", retries=2, retry_pause=0)
    status = report.table.set_index("customer_id")["status"].to_dict()
    assert status == {"C000": "已发送", "C001": "被拒绝", "C002": "未发送"}     # 2 次重试够 C000、不够 C002
    assert report.table.set_index("customer_id").loc["C002", "reply"].startswith("451")
    assert box.received == ["user0@example.com"]
    again = campaign(aud).send("127.0.0.1", port, record=tmp_path / "r.csv", retries=5, retry_pause=0)
    assert again.table["customer_id"].tolist() == ["C002"] and box.received[-1] == "user2@example.com"


def test_missing_email_opt_out_flag_is_not_consent():
    aud = audience(3).assign(email_opt_out=[None, False, "是"])
    mail = campaign(aud)
    assert list(mail.recipients.index) == ["C001"] and mail.excluded["已退订"] == 2
