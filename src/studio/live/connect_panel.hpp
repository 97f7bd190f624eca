#pragma once
// Where the live data comes from: a serial port from the system list, a TCP bridge, a UDP
// port or a Bluetooth LE sensor found by Scan, or several sensors at once (each with its own
// settings). Only builds SourceConfigs; the Live tab opens them.
#include <QGroupBox>

#include <vector>

#include "stridelab/ingest/source_config.hpp"

class QComboBox;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace stridelab::studio {

class ConnectPanel : public QGroupBox {
  Q_OBJECT
 public:
  explicit ConnectPanel(QWidget* parent = nullptr);

  // The sensors to connect: the list, or the form's sensor if the list is empty.
  // Throws stridelab::Error if the form is incomplete.
  std::vector<ingest::SourceConfig> sources() const;
  void addSource(const ingest::SourceConfig& config);
  // Replaces the list with these sources (what is connected now).
  void showSources(const std::vector<ingest::SourceConfig>& sources);
  void setConnected(bool connected);
  void refreshPorts();
  // Lists the Bluetooth LE devices BlueZ hears within `seconds` (ingest::ble_scan, as
  // `stridelab scan`), on a worker thread; bleScanFinished follows on the GUI thread.
  void scanBle(double seconds = 4.0);

 signals:
  void connectRequested();
  void disconnectRequested();
  void statusMessage(const QString& message);
  void bleScanFinished(int devices);  // -1: the scan failed (statusMessage says why)

 private:
  ingest::SourceConfig formSource() const;
  void addFromForm();

  QComboBox* kind_ = nullptr;
  QStackedWidget* address_ = nullptr;
  QComboBox* port_ = nullptr;
  QLineEdit* tcp_ = nullptr;
  QSpinBox* udp_ = nullptr;
  QComboBox* ble_ = nullptr;
  QPushButton* scan_ = nullptr;
  QComboBox* protocol_ = nullptr;
  QComboBox* placement_ = nullptr;
  QLineEdit* name_ = nullptr;
  QListWidget* list_ = nullptr;
  QPushButton* add_ = nullptr;
  QPushButton* remove_ = nullptr;
  QPushButton* connect_ = nullptr;
  std::vector<ingest::SourceConfig> configs_;
  bool connected_ = false;
};

}  // namespace stridelab::studio
