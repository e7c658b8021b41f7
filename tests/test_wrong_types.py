"""问题 11 §6：每个公开函数收到 None、一个列表或一张空表时，要么照常工作，要么给出中文的 ValueError
（说出参数名和期望什么），从不抛出英文的 TypeError / KeyError / AttributeError。

另外逐条检查问题里点名的学生常见写法（把订单表传给 select、价格写成文字、日期写错……）。
"""
from __future__ import annotations

import importlib
import inspect
import re
import warnings

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

def library_modules() -> list[str]:
    """CRM 库的每个模块（helpers 下除课程部分、旧路径和字体构建脚本以外的全部），新模块自动算进来。"""
    import pkgutil

    import helpers

    skip = ("helpers.course", "helpers.exercises", "helpers.quiz", "helpers.fonts")
    return sorted(info.name.removeprefix("helpers.") for info in pkgutil.walk_packages(helpers.__path__, "helpers.")
                  if not info.name.startswith(skip))


LIBRARY = library_modules()
CJK = re.compile(r"[\u4e00-\u9fff]")


def public_callables():
    found = []
    for name in LIBRARY:
        module = importlib.import_module(f"helpers.{name}")
        for attr, obj in sorted(vars(module).items()):
            if attr.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or (inspect.isclass(obj) and not issubclass(obj, BaseException)):
                try:
                    params = list(inspect.signature(obj).parameters)
                except (TypeError, ValueError):
                    continue
                if params:
                    found.append(pytest.param(obj, id=f"{name}.{attr}"))
    return found


BAD = {"None": None, "list": [1, "a"], "empty_table": pd.DataFrame()}


@pytest.mark.parametrize("bad", list(BAD), ids=list(BAD))
@pytest.mark.parametrize("func", public_callables())
def test_every_public_function_answers_bad_input_in_chinese(func, bad, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                       # 万一真的写了文件，也只写在临时文件夹里
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            func(BAD[bad])
        except ValueError as exc:
            assert CJK.search(str(exc)), f"{func.__qualname__}({bad}) 的错误不是中文：{exc}"
        except Exception as exc:  # noqa: BLE001 - 正是要抓住英文的 traceback
            pytest.fail(f"{func.__qualname__}({bad}) 抛出了 {type(exc).__name__}: {exc}")


# ---------------------------------------------------------------------------
# 问题里点名的学生常见写法：每一条都是说出参数的中文 ValueError
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shop():
    from helpers import load_shop

    return load_shop("a_kids")


def _calls(shop):
    from helpers import (Segment, parse_date, plan_sms, rfm_score, show, top_share, vip_tier, mask_phone,
                         with_signature)
    from helpers.campaigns import SmsCampaign
    from helpers.effect import campaign_outcomes, uplift
    from helpers.export import export_excel

    members = pd.DataFrame({"customer_id": ["a"], "group": ["实验组"]})
    seg = Segment("母亲节", min_orders=2)
    return {
        "select(orders)": (lambda: seg.select(shop.orders), "你传进来的是订单表"),
        "select(None)": (lambda: seg.select(None), "select() 的参数 summary 应是一张表"),
        "Segment(occupations=5)": (lambda: Segment("x", occupations=5), "occupations（职业）应是一个名称或名称的列表"),
        "vip_tier(None)": (lambda: vip_tier(None), "vip_tier() 的参数 summary 应是一张表"),
        "plan_sms(None)": (lambda: plan_sms(None, "你好", "店"), "plan_sms() 的参数 audience 应是一张表"),
        "plan_sms(price='0.05')": (lambda: plan_sms(shop.summary(), "你好", "店", price="0.05"),
                                   "price 应是一个数，收到的是文字 '0.05'：去掉引号"),
        "with_signature(None)": (lambda: with_signature(None, "店"), "with_signature() 的参数 text 应是文字"),
        "top_share(None)": (lambda: top_share(None), "top_share() 的参数 amounts"),
        "show(None)": (lambda: show(None), "show() 的参数 df 应是一张表"),
        "mask_phone(None)": (lambda: mask_phone(None), "mask_phone() 的参数 phone"),
        "export_excel(None)": (lambda: export_excel(None, "x.xlsx"), "export_excel() 的参数 df 应是一张表"),
        "export_excel(path=None)": (lambda: export_excel(shop.customers, None), "export_excel() 的参数 path 应是文件路径"),
        "SmsCampaign(None)": (lambda: SmsCampaign(None, "你好", "店"), "SmsCampaign() 的参数 audience 应是一张表"),
        "campaign_outcomes(bad date)": (lambda: campaign_outcomes(members, shop.orders, "2015/13/01", "2015-05-02"),
                                        "参数 start 不是有效的时刻"),
        "uplift(None)": (lambda: uplift(None), "uplift() 的参数 outcomes 应是一张表"),
        "rfm_score(weights='abc')": (lambda: rfm_score(shop.orders, shop.today, weights="abc"),
                                     "weights 需要 3 个数"),
        "parse_date(garbage)": (lambda: parse_date("2015-05-01 garbage", "as_of"), "参数 as_of 不是有效的日期"),
    }


NAMED = ["select(orders)", "select(None)", "Segment(occupations=5)", "vip_tier(None)", "plan_sms(None)",
         "plan_sms(price='0.05')", "with_signature(None)", "top_share(None)", "show(None)", "mask_phone(None)",
         "export_excel(None)", "export_excel(path=None)", "SmsCampaign(None)", "campaign_outcomes(bad date)",
         "uplift(None)", "rfm_score(weights='abc')", "parse_date(garbage)"]


@pytest.mark.parametrize("name", NAMED)
def test_named_student_mistakes_get_chinese_errors(shop, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call, message = _calls(shop)[name]
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value), str(info.value)


def test_dates_and_moments_are_strict_but_accept_every_real_form():
    from helpers.validation import parse_date, parse_moment

    assert parse_date("2015-05-01") == parse_date("2015-05-01 10:30") == pd.Timestamp("2015-05-01")
    assert parse_moment("2018-12-12 18:00") == pd.Timestamp("2018-12-12 18:00")
    assert parse_moment("2018-12-12T10:00:00Z") == pd.Timestamp("2018-12-12 18:00")
    for bad in ("2015-05-01 garbage", "2015/13/01", "2015-02-30", "", None, 20150501):
        with pytest.raises(ValueError, match="不是有效的"):
            parse_moment(bad, "x")
