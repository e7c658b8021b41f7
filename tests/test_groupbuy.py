"""拼团规则（helpers/groupbuy.py，表单在 helpers/widgets/groupbuy.py）：每条规则的边界、太平洋时间与北京时间、成团截止时刻、小部件与普通函数一致。

夏令时切换的日期都按美国的规则现算（3 月第二个星期日、11 月第一个星期日），不写死。
"""
import calendar
import datetime as dt
from dataclasses import replace

import pytest

from helpers.groupbuy import (BEIJING, PACIFIC, TEXTBOOK_GROUP_BUY_RULES, GroupBuy, SkuStock, dst_changes,
                              format_time, group_deadline, group_price, group_succeeds, parse_time, to_beijing,
                              to_pacific)
from helpers.widgets.groupbuy import group_buy_editor

RULES = TEXTBOOK_GROUP_BUY_RULES


def nth_sunday(year: int, month: int, n: int) -> dt.date:
    """某年某月的第 n 个星期日（按日历算，不用时区数据）。"""
    sundays = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == 6]
    return sundays[n - 1]


def us_dst(year: int) -> tuple:
    """美国 2007 年以后的规则：3 月第二个星期日开始，11 月第一个星期日结束。"""
    return nth_sunday(year, 3, 2), nth_sunday(year, 11, 1)


SKUS = (SkuStock("茧型毛呢外套", "驼色 M", 299, 80, 30), SkuStock("茧型毛呢外套", "驼色 L", 299, 45, 20))


def campaign(**changes) -> GroupBuy:
    base = GroupBuy("春季新款二人团", "2019-06-01 00:00", "2019-06-30 23:59:59", "二人团", discount=15, skus=SKUS)
    return replace(base, **changes)


def tags(setting: GroupBuy, **kwargs) -> list:
    return [p[1:p.index("】")] for p in setting.problems(**kwargs)]


def test_a_good_setting_has_no_problems():
    assert campaign().problems() == []


# ---------------------------------------------------------------- 每条规则的边界
def test_name_at_most_32_characters():
    assert tags(campaign(name="团" * RULES.max_name_chars)) == []
    assert tags(campaign(name="团" * (RULES.max_name_chars + 1))) == ["名称"]
    assert tags(campaign(name="a" * 16 + "拼" * 16)) == []               # 字母和汉字都算 1 个字
    assert tags(campaign(name="   ")) == ["名称"]
    problem = campaign(name="团" * 33).problems()[0]
    assert "现在是 33 个字" in problem and "请删掉 1 个" in problem


@pytest.mark.parametrize("year", [2018, 2019, 2024])
def test_at_most_180_days_in_pacific_calendar(year):
    start = parse_time(f"{year}-02-01 09:00")                            # 跨过 3 月的夏令时开始
    end = start + dt.timedelta(days=RULES.max_days)                     # 同一时区相加：钟面上的 180 天
    assert us_dst(year)[0] > start.date() and end.date() > us_dst(year)[0]
    assert tags(campaign(start=start, end=end)) == []
    assert tags(campaign(start=start, end=end + dt.timedelta(seconds=1))) == ["时长"]
    assert "180 天 1 秒" in campaign(start=start, end=end + dt.timedelta(seconds=1)).problems()[0]
    # 实际经过的时间比钟面少 1 小时（钟拨快了），但规则按钟面算
    assert end.astimezone(dt.timezone.utc) - start.astimezone(dt.timezone.utc) == dt.timedelta(days=180, hours=-1)


def test_end_must_be_after_start():
    assert tags(campaign(end="2019-06-01 00:00")) == ["时间"]
    assert tags(campaign(end="2019-05-31 23:59")) == ["时间"]


@pytest.mark.parametrize("discount, ok", [(5, True), (99, True), (4.99, False), (99.01, False), (50, True),
                                          (0, False), (100, False)])
def test_discount_between_5_and_99_inclusive(discount, ok):
    assert tags(campaign(discount=discount)) == ([] if ok else ["折扣"])


def test_group_type_and_size():
    assert campaign().group_size == 2
    assert campaign(group_type="多人团", group_size=None).group_size == RULES.min_multi_size
    assert tags(campaign(group_type="多人团", group_size=3)) == []
    assert tags(campaign(group_type="多人团", group_size=2)) == ["类型"]
    assert tags(campaign(group_size=3)) == ["类型"]                      # 二人团只能 2 人
    assert tags(campaign(group_type="三人团")) == ["类型"]


def test_type_is_fixed_once_saved():
    saved = campaign()
    assert tags(campaign(), previous=saved) == []
    changed = campaign(group_type="多人团", group_size=3)
    assert tags(changed, previous=saved) == ["类型"]
    assert "原来是二人团（2 人成团），现在改成了多人团（3 人成团）" in changed.problems(previous=saved)[0]
    bigger = replace(changed, group_size=4)
    assert tags(bigger, previous=changed) == ["类型"]                     # 成团人数也一起固定


def test_campaign_stock_per_sku_not_above_normal_stock():
    equal = (SkuStock("外套", "M", 299, 45, 45),)
    assert tags(campaign(skus=equal)) == []
    assert tags(campaign(skus=(SkuStock("外套", "M", 299, 45, 46),))) == ["库存"]
    assert tags(campaign(skus=(SkuStock("外套", "M", 299, 45, 0),))) == ["库存"]
    unset = campaign(skus=(SkuStock("外套", "M", 299, 45, 30), SkuStock("外套", "L", 299, 45)))
    assert tags(unset) == ["库存"] and "外套 / L 还没有设置活动库存" in unset.problems()[0]
    assert tags(campaign(skus=())) == ["商品"]
    loose = replace(RULES, stock_within_normal=False)
    assert campaign(skus=(SkuStock("外套", "M", 299, 45, 46),)).problems(rules=loose) == []


def test_a_product_in_a_running_campaign_cannot_join_another():
    other = GroupBuy("冬季清仓", "2019-05-01 00:00", "2019-06-01 00:00", skus=(SkuStock("茧型毛呢外套", "驼色 M", 299, 80, 10),))
    # 那场活动的结束时刻本身还在活动里：正好在这一刻开始的新活动不能用这个商品
    assert tags(campaign(), others=[other]) == ["商品"]
    ended = replace(other, end="2019-05-31 23:59:59")
    assert tags(campaign(), others=[ended]) == []
    assert tags(campaign(), others=[replace(other, withdrawn={"茧型毛呢外套"})]) == []
    # 保存设置的时刻（as_of）那场活动已经结束，也可以
    assert tags(campaign(), others=[other], as_of="2019-06-01 00:00:01") == []
    unrelated = replace(other, skus=(SkuStock("羊毛围巾", "燕麦色", 89, 200, 10),))
    assert tags(campaign(), others=[unrelated]) == []


def test_raise_errors_lists_every_problem():
    bad = campaign(name="团" * 40, discount=1)
    with pytest.raises(ValueError, match="拼团设置不符合平台规则：\n【名称】.*\n【折扣】"):
        bad.problems(raise_errors=True)
    assert campaign().problems(raise_errors=True) == []


def test_bad_input_gives_chinese_errors():
    with pytest.raises(ValueError, match="活动开始时间“三月一日”看不懂"):
        campaign(start="三月一日")
    with pytest.raises(ValueError, match="discount 应是一个数"):
        campaign(discount="八折")
    with pytest.raises(ValueError, match="skus 里的每一项应是 SkuStock"):
        campaign(skus=[("外套", "M", 299, 45, 45)])
    with pytest.raises(ValueError, match="normal_stock 应是(不小于 0 的整数|一个整数)"):
        SkuStock("外套", "M", 299, 4.5, 1)


# ---------------------------------------------------------------- 时区与夏令时
@pytest.mark.parametrize("year", [2018, 2019, 2020, 2024])
def test_dst_change_dates_match_the_us_rule(year):
    assert dst_changes(year) == us_dst(year)
    assert dst_changes(year, BEIJING) == (None, None)


@pytest.mark.parametrize("year", [2018, 2019, 2024])
def test_beijing_is_16_hours_ahead_in_winter_and_15_in_summer(year):
    start, end = us_dst(year)
    winter = to_beijing(f"{start - dt.timedelta(days=1)} 09:00")
    summer = to_beijing(f"{start + dt.timedelta(days=1)} 09:00")
    assert format_time(winter) == f"{start} 01:00:00"                   # 前一天 09:00 + 16 小时
    assert format_time(summer) == f"{start + dt.timedelta(days=2)} 00:00:00"   # 后一天 09:00 + 15 小时
    autumn = to_beijing(f"{end + dt.timedelta(days=1)} 09:00")
    assert format_time(autumn) == f"{end + dt.timedelta(days=2)} 01:00:00"
    assert format_time(to_pacific(format_time(summer))) == f"{start + dt.timedelta(days=1)} 09:00:00"


def test_schedule_across_dst_start():
    start, _ = us_dst(2019)
    spring = campaign(start=f"{start - dt.timedelta(days=9)} 00:00", end=f"{start + dt.timedelta(days=21)} 23:59:59")
    table = spring.schedule()
    assert table["北京比太平洋快（小时）"].tolist() == [16, 15]
    assert table.loc["开始", "太平洋时间用的是"] == "太平洋标准时间 UTC−8"
    assert table.loc["结束", "太平洋时间用的是"] == "太平洋夏令时 UTC−7"


def test_nonexistent_and_repeated_pacific_times_are_named():
    start, end = us_dst(2019)
    gap = campaign(start=f"{start} 02:30", end=f"{start + dt.timedelta(days=5)} 12:00")
    assert tags(gap) == ["时间"] and "不存在" in gap.problems()[0]
    assert tags(campaign(start=f"{start} 03:00", end=f"{start + dt.timedelta(days=5)} 12:00")) == []
    fold = campaign(start=f"{end - dt.timedelta(days=5)} 12:00", end=f"{end} 01:30")
    assert tags(fold) == ["时间"] and "有两个" in fold.problems()[0]


def test_aware_times_are_converted_to_pacific():
    beijing = parse_time("2019-06-01 15:00", BEIJING)
    assert parse_time(beijing).tzinfo is PACIFIC
    assert format_time(parse_time(beijing)) == "2019-06-01 00:00:00"
    assert campaign(start=beijing).start == campaign().start


# ---------------------------------------------------------------- 成团截止时刻
def test_deadline_is_24_hours_or_the_campaign_end():
    end = "2019-06-30 23:59:59"
    assert format_time(group_deadline("2019-06-10 10:00", end)) == "2019-06-11 10:00:00"
    assert format_time(group_deadline("2019-06-30 08:00", end)) == "2019-06-30 23:59:59"
    # 开团后正好 24 小时活动结束：两个时刻一样
    assert format_time(group_deadline("2019-06-29 23:59:59", end)) == end
    with pytest.raises(ValueError, match="活动结束后不能开团"):
        group_deadline("2019-07-01 00:00", end)


@pytest.mark.parametrize("year", [2019, 2024])
def test_deadline_counts_real_hours_across_dst(year):
    start, end = us_dst(year)
    spring = group_deadline(f"{start - dt.timedelta(days=1)} 12:00", f"{year}-12-31 00:00")
    assert format_time(spring) == f"{start} 13:00:00"                    # 钟拨快：钟面上过了 25 小时
    autumn = group_deadline(f"{end - dt.timedelta(days=1)} 12:00", f"{year}-12-31 00:00")
    assert format_time(autumn) == f"{end} 11:00:00"                      # 钟拨回：钟面上只过了 23 小时
    wall = parse_time(f"{end - dt.timedelta(days=1)} 12:00") + dt.timedelta(hours=24)
    assert format_time(wall) == f"{end} 12:00:00"                        # datetime 直接相加是钟面时间


def test_group_succeeds_at_the_deadline_but_not_one_second_later():
    end = "2019-06-30 23:59:59"
    assert group_succeeds("2019-06-10 10:00", ["2019-06-11 10:00:00"], 2, end)
    assert not group_succeeds("2019-06-10 10:00", ["2019-06-11 10:00:01"], 2, end)
    assert not group_succeeds("2019-06-30 20:00", ["2019-07-01 00:00:00"], 2, end)     # 活动已经结束
    assert group_succeeds("2019-06-30 20:00", ["2019-06-30 23:59:59"], 2, end)
    # 三人团：开团的人算 1 人，还要 2 人参团
    assert group_succeeds("2019-06-10 10:00", ["2019-06-10 11:00", "2019-06-10 12:00"], 3, end)
    assert not group_succeeds("2019-06-10 10:00", ["2019-06-10 11:00"], 3, end)
    with pytest.raises(ValueError, match="早于开团时刻"):
        group_succeeds("2019-06-10 10:00", ["2019-06-10 09:00"], 2, end)


# ---------------------------------------------------------------- 价格
def test_group_price_rounds_to_the_fen():
    assert group_price(299, 15) == 254.15
    assert group_price(89, 5) == 84.55
    assert group_price(99.9, 33) == 66.93                               # 66.933 → 66.93
    assert group_price(0.5, 99) == 0.01                                 # 0.005 → 0.01（四舍五入）
    table = campaign().prices()
    assert table["商品详情页显示（元）"].tolist() == [299.0, 299.0]
    assert table["拼团链接页显示（元）"].tolist() == [group_price(299, 15)] * 2


# ---------------------------------------------------------------- 小部件与普通函数
def test_editor_matches_plain_functions():
    other = GroupBuy("冬季清仓", "2019-05-01 00:00", "2019-06-15 00:00", skus=(SkuStock("羊毛围巾", "燕麦色", 89, 200, 10),))
    editor = group_buy_editor(campaign(), others=[other])
    assert editor.found == [] and editor.campaign == campaign()
    assert "全部符合平台规则" in editor.result.value
    editor.discount.value = 4
    assert editor.found == campaign(discount=4).problems(others=[other])
    assert "【折扣】" in editor.result.value
    editor.discount.value = 15
    editor.skus.value += "\n羊毛围巾, 燕麦色, 89, 200, 20"
    assert [p[:4] for p in editor.found] == ["【商品】"]
    editor.start.value = "三月一日"
    assert "看不懂" in editor.result.value
    editor.start.value = "2019-06-01 00:00"
    editor.skus.value = "外套, M, 299, 45"
    assert "应有 5 项" in editor.result.value
    editor.skus.value = "外套, M, 299, 45, "
    assert editor.campaign.skus[0].campaign_stock is None and "【库存】" in editor.found[0]
    assert format_time(to_beijing(editor.campaign.start)) in editor.result.value
