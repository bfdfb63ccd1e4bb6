"""Default texts of the legal pages (German). The operator of an installation must complete them.

Used by the data migration that creates the pages and as a fallback when a legal page is missing
(e.g. in a freshly flushed test database): the page is then created from these texts.
"""

IMPRESSUM = """\
**Muster – bitte vollständig ausfüllen.** Dieses Impressum ist eine Vorlage. Die Betreiberin dieser
DAKS-Installation muss alle Angaben in eckigen Klammern durch ihre eigenen ersetzen (in der Redaktion
unter „Seiten“) und diesen Hinweis danach entfernen.

## Angaben gemäß § 5 DDG

Betreiberin dieser Installation: [Name der Behörde/Organisation eintragen]\\
[Straße und Hausnummer]\\
[Postleitzahl und Ort]

Vertreten durch: [Name der vertretungsberechtigten Person, z. B. Bürgermeisterin, Landrat, Vorstand]

## Kontakt

- Telefon: [Telefonnummer]
- E-Mail: [E-Mail-Adresse]

## Aufsichtsbehörde und Register

[Zuständige Aufsichtsbehörde, falls vorhanden]\\
[Registergericht und Registernummer bzw. Umsatzsteuer-Identifikationsnummer, falls vorhanden]

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

[Name und Anschrift der verantwortlichen Person]

## Inhalte der Kommunen

Die Arbeitsstände, Pläne und Beiträge in den Arbeitsbereichen werden von den jeweiligen Kommunen
und ihren Teams erstellt und verantwortet.

## Software

DAKS – Demografie-Assistenz für kommunale Strategien – ist freie Software (Open Source). Die
Betreiberin ist für diese Installation verantwortlich, nicht die Entwicklerinnen und Entwickler der
Software.
"""

DATENSCHUTZ = """\
**Muster – bitte prüfen und ergänzen.** Diese Datenschutzerklärung beschreibt, was die Software DAKS
verarbeitet. Die Betreiberin dieser Installation muss die Angaben in eckigen Klammern ergänzen, die
Erklärung mit ihrer oder ihrem Datenschutzbeauftragten abstimmen und diesen Hinweis danach entfernen.

## Verantwortliche Stelle

[Name der Behörde/Organisation eintragen]\\
[Anschrift]\\
E-Mail: [E-Mail-Adresse]

Datenschutzbeauftragte/r: [Name und Kontaktdaten eintragen]

## Grundsatz

DAKS verarbeitet nur die Daten, die für die Nutzung nötig sind. Es gibt **keine Analyse- oder
Tracking-Werkzeuge**, **keine Werbung**, **keine Einbindung von Diensten Dritter**, **kein Content
Delivery Network (CDN)** und **keine externen Schriftarten**: Alle Dateien kommen von diesem Server,
Ihr Browser nimmt beim Besuch keine Verbindung zu anderen Anbietern auf.

## Welche Daten wir verarbeiten

### Konto

Wenn Sie sich registrieren, speichern wir Ihren Namen, Ihre E-Mail-Adresse, Ihre Sprache und Ihr
Passwort (nur als sicherer Hash-Wert, nie im Klartext). Wenn Sie die Zwei-Faktor-Anmeldung
einrichten, speichern wir das dazu nötige Geheimnis verschlüsselt und Ihre Wiederherstellungscodes.
Rechtsgrundlage ist Art. 6 Abs. 1 lit. b DSGVO (Nutzungsvertrag) bzw. [bei Behörden: Art. 6 Abs. 1
lit. e DSGVO in Verbindung mit der einschlägigen landesrechtlichen Vorschrift eintragen].

### Mitarbeit in Kommunen

Wenn Sie im Team einer Kommune mitarbeiten, sehen die anderen Mitglieder dieses Teams Ihren Namen,
Ihre Rolle und die Inhalte, die Sie dort anlegen oder ändern. Wichtige Änderungen werden in einem
Änderungsprotokoll der Kommune festgehalten.

### E-Mails

Wir senden Ihnen E-Mails nur, wenn es für die Nutzung nötig ist: zur Bestätigung Ihrer
E-Mail-Adresse, zum Zurücksetzen des Passworts, bei Einladungen und Beitrittsanfragen. Es gibt
keinen Newsletter und keine Zählung, ob E-Mails geöffnet werden. Für den Versand nutzen wir
[Mailserver bzw. Dienstleister eintragen].

### Cookies

DAKS setzt nur technisch notwendige Cookies: ein Sitzungs-Cookie, das Sie nach der Anmeldung
angemeldet hält, ein Cookie zum Schutz von Formularen vor Missbrauch (CSRF) und – wenn Sie die Sprache
wechseln – ein Cookie mit Ihrer Sprachwahl. Eine Einwilligung ist dafür nicht erforderlich
(§ 25 Abs. 2 Nr. 2 TDDDG).

### Server-Protokolle

Beim Aufruf jeder Seite verarbeitet der Server technisch bedingt Ihre IP-Adresse, Datum und Uhrzeit,
die aufgerufene Adresse und die Kennung Ihres Browsers. Diese Protokolle dienen der Sicherheit und
Fehlersuche und werden nach [Anzahl] Tagen gelöscht. Zum Schutz vor Angriffen auf Konten wird die
Zahl fehlgeschlagener Anmeldeversuche kurzzeitig gespeichert.

## Speicherdauer und Löschung

Ihre Kontodaten speichern wir, solange Sie Ihr Konto nutzen. Sie können Ihr Konto jederzeit selbst
unter „Mein Konto“ löschen. Dabei werden Ihre Kontodaten gelöscht; Ihre Mitgliedschaften enden.
Kommunen, in denen Sie das einzige Mitglied sind, werden mit allen Inhalten gelöscht. Inhalte, die
Sie in weiterhin bestehenden Kommunen erstellt haben, bleiben dort erhalten; als Urheber wird dann
„gelöschtes Konto“ angezeigt.

## Ihre Rechte

Sie haben nach der Datenschutz-Grundverordnung das Recht auf Auskunft (Art. 15), Berichtigung
(Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit
(Art. 20) und Widerspruch (Art. 21). Wenden Sie sich dazu an die oben genannte Stelle. Sie können
sich außerdem bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO), zuständig ist
[zuständige Aufsichtsbehörde eintragen].

## Empfänger und Übermittlung

Ihre Daten werden nicht verkauft und nicht für Werbung genutzt. Eine Übermittlung in Länder außerhalb
der EU findet nicht statt. Der Betrieb erfolgt bei [Rechenzentrum bzw. Hosting-Dienstleister eintragen].
"""

BARRIEREFREIHEIT = """\
**Muster – bitte prüfen und ergänzen.** Die Betreiberin dieser Installation muss die Angaben in
eckigen Klammern ergänzen und diesen Hinweis danach entfernen.

[Name der Behörde/Organisation eintragen] ist bemüht, diese Website im Einklang mit der
Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und den jeweiligen landesrechtlichen
Vorschriften barrierefrei zugänglich zu machen. Diese Erklärung gilt für die DAKS-Installation unter
[Adresse der Website eintragen].

## Stand der Vereinbarkeit mit den Anforderungen

Ziel ist die Erfüllung der Anforderungen der Web Content Accessibility Guidelines (WCAG) 2.1 auf
Stufe AA. Die Website ist nach unserer Einschätzung **teilweise vereinbar** mit diesen Anforderungen.

## Wie wir prüfen

- Jede Änderung der Software wird automatisch mit dem Prüfwerkzeug axe-core auf häufige
  Barrieren getestet (zum Beispiel fehlende Beschriftungen, Kontraste, Überschriftenstruktur).
- Die wichtigsten Abläufe – Registrierung, Anmeldung, Arbeit im Team – werden mit der Tastatur
  ohne Maus getestet.

Die Erklärung beruht auf einer Selbstbewertung vom [Datum eintragen].

## Nicht barrierefreie Inhalte

Die Prüfung ist nicht abgeschlossen, die Barrierefreiheit **wird laufend geprüft**. Bekannte
Einschränkungen:

- Inhalte, die Kommunen selbst hochladen (zum Beispiel PDF-Dokumente oder Bilder), sind nicht in
  jedem Fall barrierefrei; dafür sind die jeweiligen Kommunen verantwortlich.
- Neue Funktionen werden vor der Freigabe automatisch geprüft; eine umfassende Prüfung durch
  Expertinnen und Experten oder mit Screenreadern steht noch aus.
- [Weitere bekannte Einschränkungen eintragen.]

## Barrieren melden: Kontakt zur Feedback-Stelle

Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Dann schreiben Sie uns bitte:

- E-Mail: [E-Mail-Adresse der Feedback-Stelle eintragen]
- Telefon: [Telefonnummer eintragen]
- Post: [Anschrift eintragen]

Wir antworten Ihnen so schnell wie möglich.

## Schlichtungsverfahren

Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie sich an die
zuständige Schlichtungsstelle wenden. Für Bundesbehörden ist das die Schlichtungsstelle nach § 16 BGG
beim Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen
([www.schlichtungsstelle-bgg.de](https://www.schlichtungsstelle-bgg.de)). Für Landes- und
Kommunalbehörden ist die Schlichtungs- oder Durchsetzungsstelle des jeweiligen Landes zuständig:
[zuständige Stelle mit Kontaktdaten eintragen]. Das Verfahren ist kostenlos, Sie brauchen keine
Rechtsvertretung.
"""

DEFAULT_PAGES = {
    "impressum": ("Impressum", IMPRESSUM),
    "datenschutz": ("Datenschutzerklärung", DATENSCHUTZ),
    "barrierefreiheit": ("Erklärung zur Barrierefreiheit", BARRIEREFREIHEIT),
}
