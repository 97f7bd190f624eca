#include "studio/style.hpp"

namespace stridelab::studio::style {

QString applicationStyleSheet() {
  return QStringLiteral(R"(
QMainWindow, QTabWidget > QWidget { background: #F7F9FA; }
QTabBar::tab { padding: 7px 22px; font-weight: bold; color: #4A5660; border: none;
               border-bottom: 3px solid transparent; background: transparent; }
QTabBar::tab:selected { color: #1F3A4D; border-bottom: 3px solid #1F3A4D; }
QTabBar::tab:hover { color: #1F3A4D; }
QGroupBox { font-weight: bold; color: #1F3A4D; border: 1px solid #D5DCE1; border-radius: 6px;
            margin-top: 14px; padding: 8px 6px 6px 6px; background: #FFFFFF; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
QLabel#fileTitle { font-size: 15px; font-weight: bold; color: #1F3A4D; }
QLabel#sectionTitle { font-size: 13px; font-weight: bold; color: #1F3A4D;
                      border-bottom: 1px solid #D5DCE1; padding-bottom: 2px; }
QLabel#muted, QLabel#figureCaption { color: #66707A; }
QLabel#hint { color: #7A848C; font-size: 11px; }
QLabel[figure="true"] { font-size: 17px; font-weight: bold; color: #222222; }
QLabel#value_drop_left, QLabel#value_drop_right { font-size: 14px; font-weight: bold; }
QFrame#tile { background: #FFFFFF; border: 1px solid #D5DCE1; border-radius: 6px; }
QLabel#tileValue { font-size: 24px; font-weight: bold; }
QPushButton { padding: 4px 12px; border: 1px solid #B8C2CA; border-radius: 4px;
              background: #FFFFFF; }
QPushButton:hover { background: #EEF2F5; }
QPushButton:checked { background: #FFF3D6; border-color: #E69F00; }
QPushButton#primaryButton { background: #1F3A4D; color: white; border: none; padding: 6px; }
QPushButton#primaryButton[active="true"] { background: #5A6B78; }
QPushButton#recordButton { background: #B03030; color: white; border: none; padding: 6px;
                           font-weight: bold; }
QPushButton#recordButton:disabled { background: #D9B3B3; }
QPushButton#recordButton[active="true"] { background: #333333; }
QTableView { background: #FFFFFF; alternate-background-color: #F4F7F9; gridline-color: #E3E8EC;
             selection-background-color: #CFE3F1; selection-color: #111111; }
QHeaderView::section { background: #EEF2F5; color: #33414C; padding: 4px; border: none;
                       border-right: 1px solid #D5DCE1; border-bottom: 1px solid #D5DCE1; }
QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }
QStatusBar { color: #33414C; }
)");
}

}  // namespace stridelab::studio::style
