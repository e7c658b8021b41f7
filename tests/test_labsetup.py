import json

import pytest

from helpers.course.labsetup import main, overrides_path, set_lab_locale


def test_sets_chinese_and_keeps_other_settings(tmp_path):
    path = overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                                "@jupyterlab/apputils-extension:notification": {"fetchNews": "true"}}))
    written, changed = set_lab_locale(tmp_path)
    data = json.loads(written.read_text(encoding="utf-8"))
    assert changed and data["@jupyterlab/translation-extension:plugin"] == {"locale": "zh_CN"}
    assert data["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert data["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "true"}   # 用户的选择不被覆盖
    assert set_lab_locale(tmp_path)[1] is False


def test_fresh_environment_gets_no_news_popup(tmp_path):
    data = json.loads(set_lab_locale(tmp_path)[0].read_text(encoding="utf-8"))
    assert data["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false"}


def test_broken_file_is_not_overwritten(tmp_path, capsys):
    path = overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("{broken")
    with pytest.raises(ValueError, match="不是合法的 JSON"):
        set_lab_locale(tmp_path)
    assert path.read_text() == "{broken"
    assert main(["--prefix", str(tmp_path)]) == 1
    assert "错误" in capsys.readouterr().err
