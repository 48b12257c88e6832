def test_the_time_zone_list_marks_the_chosen_zone_and_keeps_the_field_attributes():
    from stem4all.meetings.forms import MeetingTimeForm

    form = MeetingTimeForm(initial={"time_zone": "Europe/Berlin"})
    html = str(form["time_zone"])
    assert html.startswith("<select ") and html.endswith("</select>")
    assert 'name="time_zone"' in html and 'id="id_time_zone"' in html
    assert html.count("selected") == 1
    assert '<option selected value="Europe/Berlin">Europe/Berlin</option>' in html
    assert '<option value="Asia/Bishkek">Asia/Bishkek</option>' in html
