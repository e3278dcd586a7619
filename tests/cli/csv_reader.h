// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>

// A strict RFC 4180 reader for the tests: CRLF records, quoted fields with doubled quotes.
// Returns false (and stops) on anything the RFC does not allow, so a sloppy writer fails.
inline bool readCsv(const QString& text, QList<QStringList>* rows) {
    QStringList row;
    QString field;
    bool quoted = false, wasQuoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text[i];
        if (quoted) {
            if (ch == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += ch;
            }
            continue;
        }
        if (ch == '"') {
            if (!field.isEmpty() || wasQuoted)
                return false; // a quote inside an unquoted field
            quoted = wasQuoted = true;
        } else if (ch == ',') {
            row << field;
            field.clear();
            wasQuoted = false;
        } else if (ch == '\r') {
            if (i + 1 >= text.size() || text[i + 1] != '\n')
                return false; // bare CR
            row << field;
            rows->append(row);
            row.clear();
            field.clear();
            wasQuoted = false;
            ++i;
        } else if (ch == '\n') {
            return false; // bare LF
        } else {
            if (wasQuoted)
                return false; // text after the closing quote
            field += ch;
        }
    }
    return !quoted && row.isEmpty() && field.isEmpty(); // the last record ends with CRLF
}
