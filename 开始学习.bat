@echo off
chcp 65001 >nul
rem CRM精准营销工作簿：在 Windows 上双击本文件，装好环境（第一次需要几分钟）并打开 JupyterLab。
rem 做的事情和命令 py tools\workbook.py lab 相同。本文件用 UTF-8（无 BOM）保存、CRLF 换行，
rem 中文要在上面的 chcp 65001 之后才能正确读出，所以第一、二行只能是英文。
setlocal
cd /d "%~dp0"
title CRM精准营销工作簿

set "PYCMD="
py -3 -c "import sys" >nul 2>nul && set "PYCMD=py -3"
if not defined PYCMD (
    python -c "import sys" >nul 2>nul && set "PYCMD=python"
)
if not defined PYCMD goto nopython

echo 正在准备 CRM精准营销工作簿：第一次要下载安装依赖，需要几分钟，请耐心等待……
echo 打开后请不要关闭这个黑色窗口；用完后在这里按两次 Ctrl+C 退出。
echo.
%PYCMD% tools\workbook.py lab %*
if errorlevel 1 goto failed
endlocal
exit /b 0

:nopython
echo.
echo 错误：找不到 Python。
echo     请从 https://www.python.org/downloads/ 安装 Python 3.10 或更新版本，
echo     安装时勾选“Add python.exe to PATH”，装好后再双击“开始学习.bat”。
echo     也可以用 Anaconda 或 Miniconda，步骤见 docs\windows.md。
echo.
pause
endlocal
exit /b 1

:failed
echo.
echo 出错了：请看上面以“错误：”开头的中文提示，按提示处理后再双击“开始学习.bat”。
echo     其他问题见 docs\windows.md 的“常见问题”。
echo.
pause
endlocal
exit /b 1
