"""Content for `manage.py load_demo`: a fictional newsroom, kept apart from the command's logic.

Every story, place, official and quotation here is invented. In an article's `body`, an entry
starting with "> " is a quotation (a blockquote); every other entry is a paragraph.
"""

# (name, description, photo colour): navigation order is list order.
SECTIONS = [
    ("Politics", "Parliament, government and the people who run for office.", (150, 30, 45)),
    ("World", "News from beyond our borders, from capitals to conflict zones.", (25, 85, 150)),
    ("Business", "Markets, companies, jobs and the money in your pocket.", (20, 120, 90)),
    ("Sport", "Results, transfers and the stories behind the scores.", (210, 110, 20)),
    ("Culture", "Film, music, books, the stage and the wider arts scene.", (120, 50, 140)),
    ("Science", "Research, discoveries, space and the natural world.", (15, 125, 140)),
    ("Opinion", "Columns and comment from our writers and guest contributors.", (90, 90, 95)),
    (
        "Technology",
        "Gadgets, software, the internet and the firms that build them.",
        (60, 70, 170),
    ),
]

# (name, url): the url may be blank.
SOURCES = [
    ("abcnews.go.com", "https://abcnews.go.com"),
    ("Reuters", "https://www.reuters.com"),
    ("PAP", "https://www.pap.pl"),
    ("EPA", "https://www.epa.eu"),
    ("Associated Press", "https://apnews.com"),
    ("AFP", ""),
]

# `hours_ago` pins an article's age; without it the command spreads articles over ~30 days.
# `updated_after_hours` marks the one article shown with an "Updated" line.
ARTICLES = [
    # Politics
    {
        "headline": "Kremlin talks end without agreement on prisoner exchange",
        "section": "politics",
        "hours_ago": 2,
        "standfirst": "Two days of negotiations in Moscow closed with both delegations saying "
        "the door remains open, but no names were agreed and no date was set.",
        "byline": "By Staff and wire reports",
        "tags": ["diplomacy", "Russia", "prisoner exchange"],
        "sources": ["abcnews.go.com", "Reuters"],
        "photo": {
            "credit": "EPA/PHOTOGRAPHER NAME / SPUTNIK / KREMLIN POOL MANDATORY CREDIT "
            "Dostawca: PAP/EPA.",
            "caption": "Delegacje przy stole rozmów w Moskwie (podpis źródła zdjęcia)",
            "alt_text": "Two delegations seated facing each other across a long table with "
            "flags and microphones in a formal hall.",
            "provider": "EPA",
        },
        "body": [
            "Negotiators meeting in Moscow ended two days of closed-door talks on Tuesday "
            "without agreeing the terms of a long-discussed prisoner exchange, officials on "
            "both sides said.",
            "The talks had been expected to settle a list of detainees to be released, but "
            "people familiar with the discussions said the delegations could not agree on who "
            "should be included or on the sequence of any handover.",
            "> We made progress on the principles, but not yet on the names. We will keep "
            "talking because the families deserve nothing less.",
            "That was the assessment of deputy foreign minister Anna Brzeska, who led the "
            "visiting delegation. A statement released by the host side described the "
            "meeting as “businesslike” and said contacts would continue through diplomatic "
            "channels.",
            "> No one walked away from the table today, and that matters.",
            "The second remark came from a senior adviser to the delegation who asked not to "
            "be named. No date has been set for another round.",
        ],
    },
    {
        "headline": "Łódź council approves tram line to new rail hub",
        "section": "politics",
        "standfirst": "Councillors voted 31 to 9 for a 6-kilometre line linking the city's "
        "eastern estates with the rebuilt central station.",
        "byline": "By Ewa Janik, PAP",
        "tags": ["Łódź", "transport", "local government"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Marek Zieliński",
            "caption": "A tram passes the square where the new line will branch off.",
            "alt_text": "A modern low-floor tram crossing a city square at dusk.",
            "provider": "PAP",
        },
        "body": [
            "The city council in Łódź approved on Thursday a new tram line that will connect "
            "the eastern housing estates with the rebuilt central rail station, ending years "
            "of argument over the route.",
            "The line is expected to cost about 480 million zlotys, more than half of it "
            "covered by European funds, and to carry up to 40,000 passengers a day.",
            "> People on the east side have waited two decades for a fast link to the "
            "station. Today we stopped talking and started building.",
            "Deputy mayor Piotr Sadowy said construction could start next spring. Opposition "
            "councillors who voted against said the plan underestimated the cost of moving "
            "underground utilities.",
        ],
    },
    {
        "headline": "Coalition partners agree timetable for budget vote",
        "section": "politics",
        "standfirst": "The governing parties will put the spending plan to parliament in "
        "early November after settling a dispute over defence and pensions.",
        "byline": "By Marta Lis",
        "tags": ["budget", "coalition", "parliament"],
        "sources": ["PAP", "Reuters"],
        "photo": {
            "credit": "PAP/Anna Krawiec",
            "caption": "Coalition leaders leave the chancellery after the late-night meeting.",
            "alt_text": "Three people in dark coats walking down stone steps at night.",
            "provider": "PAP",
        },
        "body": [
            "Leaders of the three governing parties agreed late on Monday to put next year's "
            "budget to a first reading in early November, ending a week of public sparring.",
            "The compromise keeps defence spending at the level the finance ministry proposed "
            "while bringing forward a planned increase in the minimum pension by three months.",
            "> Nobody got everything they wanted, which is usually a sign of a fair deal.",
            "Finance minister Jerzy Olszak told reporters the deficit would stay within the "
            "limit agreed with the European Commission. The opposition said the numbers "
            "relied on optimistic growth forecasts.",
        ],
    },
    {
        "headline": "Senate committee rejects plan to merge regional water boards",
        "section": "politics",
        "standfirst": "Senators said the merger would save little and leave rural districts "
        "with slower responses to floods and burst mains.",
        "byline": "By Tomasz Wrona",
        "tags": ["senate", "water", "regions"],
        "sources": ["PAP"],
        "body": [
            "A Senate committee voted on Wednesday against a government proposal to merge 16 "
            "regional water boards into five larger authorities.",
            "The bill's supporters had argued that fewer boards would cut administrative "
            "costs by about a tenth. Committee members said the savings were overstated.",
            "> A flood in a mountain valley cannot wait for a decision from an office three "
            "hundred kilometres away.",
            "Senator Halina Dudek, who chairs the committee, said the chamber would consider "
            "amendments rather than reject the reform outright. The bill returns to the "
            "lower house next month.",
        ],
    },
    {
        "headline": "Opposition leader calls for inquiry into procurement of patrol boats",
        "section": "politics",
        "standfirst": "The contract for eight coastal patrol vessels was signed without a "
        "tender, documents seen by the opposition suggest.",
        "byline": "By Marta Lis",
        "tags": ["procurement", "navy", "opposition"],
        "sources": ["PAP", "AFP"],
        "photo": {
            "credit": "PAP/Adam Warda",
            "caption": "A coastal patrol vessel moored in the naval port.",
            "alt_text": "A grey patrol boat tied up at a concrete quay under a cloudy sky.",
            "provider": "PAP",
        },
        "body": [
            "The leader of the main opposition party demanded a parliamentary inquiry on "
            "Friday into how the defence ministry bought eight coastal patrol boats.",
            "Documents released by the party appear to show that the contract, worth about "
            "1.2 billion zlotys, was awarded without an open tender on grounds of urgency.",
            "> If the need was urgent, the paperwork should show it. If it doesn't, the "
            "public deserves to know why.",
            "The ministry said the purchase followed the law on defence procurement and that "
            "all documents had been shared with the relevant committee.",
            "A vote on setting up the inquiry is expected before the end of the month.",
        ],
    },
    {
        "headline": "Parliament extends sitting to debate housing bill",
        "section": "politics",
        "standfirst": "Deputies will sit into Saturday to finish the second reading of a bill "
        "meant to speed up building permits.",
        "byline": "By Tomasz Wrona",
        "tags": ["housing", "parliament"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Marek Zieliński",
            "caption": "Deputies in the chamber during the housing debate.",
            "alt_text": "A wide view of a parliamentary chamber with rows of seated deputies.",
            "provider": "PAP",
        },
        "body": [
            "The speaker extended this week's sitting into Saturday after more than 200 "
            "amendments were tabled to the government's housing bill.",
            "The bill would set a 60-day limit for local authorities to decide on building "
            "permits for blocks of flats, after which approval would be automatic.",
            "> Young families are waiting years for homes while applications sit on desks.",
            "Housing minister Karol Bednarek defended the deadline in the chamber. Local "
            "government associations warned that understaffed planning offices could not "
            "meet it.",
        ],
    },
    {
        "headline": "Electoral commission proposes postal voting pilot in three districts",
        "section": "politics",
        "standfirst": "Voters in the pilot areas could ask for a ballot by post at the next "
        "local elections if parliament agrees.",
        "byline": "By Ewa Janik, PAP",
        "tags": ["elections", "postal vote"],
        "sources": ["PAP"],
        "body": [
            "The national electoral commission has proposed testing postal voting in three "
            "districts at the next local elections.",
            "Under the plan, any voter in the pilot areas could request a ballot by post up "
            "to three weeks before polling day and return it in a prepaid envelope.",
            "> We want to learn what works on a small scale before anyone talks about the "
            "whole country.",
            "Commission chair Barbara Stelmach said the pilot would be audited independently. "
            "The proposal needs a change to the electoral code.",
        ],
    },
    {
        "headline": "Ministry of Health publishes waiting-list figures after long delay",
        "section": "politics",
        "standfirst": "The data, held back for five months, shows waits for hip and knee "
        "operations growing in most regions.",
        "byline": "By Marta Lis",
        "tags": ["health", "waiting lists"],
        "sources": ["PAP", "Reuters"],
        "photo": {
            "credit": "REUTERS/Jane Doe",
            "caption": "Patients wait at a regional hospital's outpatient clinic.",
            "alt_text": "People seated on plastic chairs in a bright hospital corridor.",
            "provider": "Reuters",
        },
        "body": [
            "The health ministry on Tuesday published waiting-list figures it had held back "
            "since the spring, after repeated requests from patients' groups.",
            "The figures show the median wait for a hip replacement rose to 14 months, and "
            "to more than two years in two regions.",
            "> Publishing late is better than not publishing, but patients needed these "
            "numbers in April.",
            "The ministry said the delay was caused by a change in how hospitals report data "
            "and promised monthly updates from now on.",
        ],
    },
    {
        "headline": "Mayors demand bigger share of fuel tax for road repairs",
        "section": "politics",
        "standfirst": "Forty mayors signed a letter saying towns get too little of the money "
        "drivers pay at the pump.",
        "byline": "By Tomasz Wrona",
        "tags": ["local government", "roads", "taxes"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Anna Krawiec",
            "caption": "Road workers patch potholes on a town's main street.",
            "alt_text": "Workers in orange vests spreading asphalt on a cracked street.",
            "provider": "PAP",
        },
        "body": [
            "Mayors of forty towns have asked the government to give local authorities a "
            "larger share of fuel tax revenue to pay for road repairs.",
            "In a letter to the prime minister's office they said municipalities maintain "
            "most of the country's roads but receive less than a fifth of the tax.",
            "> Every pothole on a local street is paid for by local people twice: once at "
            "the pump and once in their council tax.",
            "The finance ministry said it would consider the request as part of wider talks "
            "on local government funding.",
        ],
    },
    {
        "headline": "New ombudsman sworn in with pledge to clear complaint backlog",
        "section": "politics",
        "standfirst": "More than 9,000 complaints are waiting for a first reply, the new "
        "ombudsman told deputies.",
        "byline": "By Ewa Janik, PAP",
        "tags": ["ombudsman", "parliament"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Adam Warda",
            "caption": "The new ombudsman takes the oath in parliament.",
            "alt_text": "A woman with her right hand raised speaking at a lectern.",
            "provider": "PAP",
        },
        "body": [
            "The new citizens' ombudsman, Dorota Malec, took the oath of office in parliament "
            "on Wednesday and promised to answer every outstanding complaint within a year.",
            "The office has more than 9,000 complaints awaiting a first reply, many of them "
            "about social benefits and court delays.",
            "> A letter that goes unanswered tells a citizen the state is not listening. "
            "That has to end.",
            "Malec, a former administrative court judge, was elected with support from both "
            "government and opposition deputies.",
        ],
    },
    # World
    {
        "headline": "Floodwaters recede in Velmora as clean-up begins",
        "section": "world",
        "standfirst": "Residents of the river port returned to mud-filled homes after a week "
        "of record water levels.",
        "byline": "By Tom Avery, Reuters",
        "tags": ["floods", "Velmora"],
        "sources": ["Reuters"],
        "photo": {
            "credit": "REUTERS/John Smith",
            "caption": "Residents clear mud from a street in the old town.",
            "alt_text": "People with shovels and wheelbarrows clearing thick mud from a "
            "narrow cobbled street.",
            "provider": "Reuters",
        },
        "body": [
            "Floodwaters began to fall in the river port of Velmora on Sunday, allowing "
            "thousands of evacuated residents to return and start clearing their homes.",
            "The river peaked at nearly two metres above its previous record on Thursday, "
            "flooding the old town and cutting the main bridge.",
            "> We lost the ground floor, but everyone is alive. Furniture can be replaced.",
            "That was how shopkeeper Ilse Varga described her family's week. City officials "
            "said it would take months to repair the bridge.",
        ],
    },
    {
        "headline": "Island nation of Tarsal votes to join regional trade bloc",
        "section": "world",
        "standfirst": "Sixty-two per cent of voters backed membership in a referendum that "
        "drew the highest turnout in the country's history.",
        "byline": "By Claire Moreau, AFP",
        "tags": ["referendum", "trade", "Tarsal"],
        "sources": ["AFP"],
        "photo": {
            "credit": "AFP/PIERRE LAMBERT",
            "caption": "Supporters of membership celebrate in the capital's harbour square.",
            "alt_text": "A crowd waving blue flags in a square beside moored fishing boats.",
            "provider": "AFP",
        },
        "body": [
            "Voters in the island nation of Tarsal approved joining a regional trade bloc in "
            "a referendum on Saturday, official results showed.",
            "Sixty-two per cent voted in favour on a turnout of 81 per cent. Membership would "
            "remove tariffs on fish and fruit exports to the bloc's seven members.",
            "> The islands have chosen to face outward. Now the hard work of negotiating begins.",
            "Prime minister Elias Doran said accession talks could be finished within two "
            "years. Fishing unions, which campaigned against, asked for guarantees on quotas.",
        ],
    },
    {
        "headline": "Ceasefire monitors report quiet first week along the Orlan border",
        "section": "world",
        "standfirst": "International observers recorded no shelling for the first time in "
        "months, though both sides accuse the other of moving troops.",
        "byline": "By Tom Avery, Reuters",
        "tags": ["ceasefire", "Orlan"],
        "sources": ["Reuters", "Associated Press"],
        "photo": {
            "credit": "AP Photo/Maria Santos",
            "caption": "Observers in white vehicles patrol a road near the line of contact.",
            "alt_text": "Two white four-wheel-drive vehicles on a dirt road between fields.",
            "provider": "Associated Press",
        },
        "body": [
            "International monitors said on Monday the first week of the ceasefire along the "
            "Orlan border had passed without recorded shelling.",
            "The observer mission counted 14 minor violations, mostly small-arms fire at "
            "night, compared with hundreds a week before the truce.",
            "> A quiet week is not peace, but it is the first step people here have seen in "
            "a very long time.",
            "The head of the mission, Lars Everett, said monitors would extend patrols to "
            "villages closest to the line next week.",
        ],
    },
    {
        "headline": "Drought pushes grain prices up across the southern plains",
        "section": "world",
        "standfirst": "Farmers expect the smallest wheat harvest in a decade after the driest "
        "spring on record.",
        "byline": "By Associated Press",
        "tags": ["drought", "agriculture", "food prices"],
        "sources": ["Associated Press"],
        "photo": {
            "credit": "AP Photo/Daniel Reyes",
            "caption": "A farmer inspects a wheat field damaged by the drought.",
            "alt_text": "A man crouching in a field of short, yellowed wheat on cracked earth.",
            "provider": "Associated Press",
        },
        "body": [
            "Wheat prices rose for a fourth straight week as farmers across the southern "
            "plains warned of the smallest harvest in a decade.",
            "Weather services said the region received less than a third of its usual spring "
            "rainfall, and reservoirs are at their lowest level in 30 years.",
            "> I planted the same fields my father did. I have never seen the soil crack "
            "like this in May.",
            "Agriculture officials said emergency feed supplies would be released to "
            "livestock farmers from next week.",
        ],
    },
    {
        "headline": "Foreign ministers meet in Geneva to revive shipping-lane accord",
        "section": "world",
        "standfirst": "Talks aim to restore a lapsed agreement on safe passage for merchant "
        "ships through a contested strait.",
        "byline": "By Claire Moreau, AFP",
        "tags": ["diplomacy", "shipping"],
        "sources": ["AFP", "Reuters"],
        "photo": {
            "credit": "EPA/MARTIN KELLER",
            "caption": "Delegates arrive for the opening session in Geneva.",
            "alt_text": "People in suits walking into a glass-fronted conference building.",
            "provider": "EPA",
        },
        "body": [
            "Foreign ministers from six coastal states met in Geneva on Thursday to try to "
            "revive an agreement guaranteeing safe passage for merchant ships.",
            "The accord lapsed last year after a dispute over inspection rights, and "
            "insurers have since raised premiums for vessels using the strait.",
            "> Shipping does not care about our arguments. It simply goes elsewhere, and our "
            "ports pay the price.",
            "Diplomats said a draft text could be ready by the end of the week.",
        ],
    },
    # Business
    {
        "headline": "Central bank holds rates and signals patience on inflation",
        "section": "business",
        "standfirst": "Policymakers kept the main rate unchanged for a sixth meeting and said "
        "cuts were unlikely before next spring.",
        "byline": "By Anna Nowak, Reuters",
        "tags": ["interest rates", "inflation", "central bank"],
        "sources": ["Reuters", "PAP"],
        "photo": {
            "credit": "REUTERS/Jane Doe",
            "caption": "The central bank's headquarters in the capital.",
            "alt_text": "A stone building with columns and a flag above the entrance.",
            "provider": "Reuters",
        },
        "body": [
            "The central bank left its main interest rate unchanged on Wednesday, as most "
            "economists had expected, and signalled it was in no hurry to cut.",
            "Inflation fell to 4.1 per cent last month but remains above the bank's target, "
            "driven by services prices and wages.",
            "> We would rather be a little late than have to reverse course.",
            "Governor Stefan Kowal told a news conference the council would look again at "
            "rates once new projections are ready in March.",
        ],
    },
    {
        "headline": "Regional airline orders twelve turboprops to open new routes",
        "section": "business",
        "standfirst": "The order will let the carrier fly to smaller airports that cannot "
        "take jets.",
        "byline": "By Anna Nowak, Reuters",
        "tags": ["aviation", "airlines"],
        "sources": ["Reuters"],
        "photo": {
            "credit": "REUTERS/John Smith",
            "caption": "A turboprop aircraft on the apron at a regional airport.",
            "alt_text": "A white twin-propeller aircraft parked on a runway apron.",
            "provider": "Reuters",
        },
        "body": [
            "A regional airline has ordered twelve turboprop aircraft, it said on Tuesday, "
            "as it plans routes to smaller airports that cannot handle jets.",
            "The carrier did not disclose the price but said deliveries would begin in 18 "
            "months and it would hire about 150 pilots and crew.",
            "> There are cities two hours apart by plane and eight hours apart by train. "
            "That is our market.",
            "Chief executive Irena Wolska said the first new routes would be announced in "
            "the spring.",
        ],
    },
    {
        "headline": "Supermarket chain to close 30 stores and expand delivery",
        "section": "business",
        "standfirst": "The retailer says shoppers in big cities are moving online, while "
        "small-town stores will stay open.",
        "byline": "By Marta Lis",
        "tags": ["retail", "jobs"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Marek Zieliński",
            "caption": "Shoppers at one of the city-centre stores due to close.",
            "alt_text": "Shoppers with trolleys in a supermarket aisle lined with shelves.",
            "provider": "PAP",
        },
        "body": [
            "A national supermarket chain will close 30 of its city-centre stores next year "
            "and put the savings into home delivery, it said on Monday.",
            "About 900 staff will be offered jobs in warehouses or other stores, the company "
            "said. Unions said they would seek guarantees that no one is forced out.",
            "> Our customers have told us with their feet where they want to shop.",
            "Shares in the company rose 3 per cent after the announcement.",
        ],
    },
    {
        "headline": "Gdańsk shipyard wins order for two offshore wind vessels",
        "section": "business",
        "standfirst": "The contract is the yard's largest in a decade and secures work until "
        "2028.",
        "byline": "By Ewa Janik, PAP",
        "tags": ["Gdańsk", "shipbuilding", "wind power"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Adam Warda",
            "caption": "Cranes over the slipway at the shipyard.",
            "alt_text": "Tall red harbour cranes above a ship hull under construction.",
            "provider": "PAP",
        },
        "body": [
            "A shipyard in Gdańsk has won an order to build two service vessels for offshore "
            "wind farms, its biggest contract in ten years.",
            "The ships will carry technicians and spare parts to turbines in the Baltic Sea. "
            "The first is due to be delivered in 2027.",
            "> This order means steady work for our welders and engineers for years, not months.",
            "The yard's management board said it would take on about 200 more workers.",
        ],
    },
    {
        "headline": "Small firms say late payments are their biggest worry, survey finds",
        "section": "business",
        "standfirst": "Nearly half of small businesses wait more than two months to be paid "
        "by larger customers.",
        "byline": "By Tomasz Wrona",
        "tags": ["small business", "survey"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Anna Krawiec",
            "caption": "A carpenter at work in his family workshop.",
            "alt_text": "A man planing a wooden board at a workbench in a small workshop.",
            "provider": "PAP",
        },
        "body": [
            "Late payments from bigger customers are the main concern of small businesses, "
            "ahead of energy costs and finding staff, a survey by a business chamber found.",
            "Forty-six per cent of firms said they typically wait more than 60 days to be "
            "paid, and one in ten said a late invoice had threatened their survival.",
            "> We are effectively lending money to companies a hundred times our size.",
            "The chamber called for fines on large firms that routinely pay late.",
        ],
    },
    # Sport
    {
        "headline": "Late penalty gives Northport United first win of the season",
        "section": "sport",
        "standfirst": "A spot kick in the 94th minute ended a run of five games without a "
        "victory.",
        "byline": "By Kamil Rudnik",
        "tags": ["football", "Northport United"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Marek Zieliński",
            "caption": "Players celebrate the winning penalty in front of the home fans.",
            "alt_text": "Footballers in red shirts hugging near a corner flag with a crowd "
            "behind.",
            "provider": "PAP",
        },
        "body": [
            "Northport United won for the first time this season on Saturday, beating "
            "Eastbrook 2-1 with a penalty deep into stoppage time.",
            "Defender Leo Marsh was brought down in the area in the 92nd minute, and "
            "captain Oskar Brand sent the goalkeeper the wrong way.",
            "> We needed that more than anyone can imagine. The dressing room was shaking.",
            "United move off the bottom of the table, two points clear of the relegation places.",
        ],
    },
    {
        "headline": "Marathon record falls on cool morning in the capital",
        "section": "sport",
        "standfirst": "The winner broke the course record by 41 seconds as 12,000 runners "
        "finished the race.",
        "byline": "By Kamil Rudnik",
        "tags": ["athletics", "marathon"],
        "sources": ["PAP", "AFP"],
        "photo": {
            "credit": "AFP/PIERRE LAMBERT",
            "caption": "The leading group passes the old town walls.",
            "alt_text": "A group of runners in vests running along a street beside an old "
            "city wall.",
            "provider": "AFP",
        },
        "body": [
            "The capital's marathon course record fell on Sunday, helped by cool, still "
            "weather that runners called ideal.",
            "The winner finished in 2 hours 6 minutes and 12 seconds, 41 seconds faster "
            "than the previous best set six years ago.",
            "> At 30 kilometres I felt I could push. The crowd did the rest.",
            "Organisers said 12,000 runners finished, a record for the event.",
        ],
    },
    {
        "headline": "Volleyball team books place in European finals",
        "section": "sport",
        "standfirst": "A straight-sets win in the last qualifier sent the women's team to the "
        "finals for the first time in eight years.",
        "byline": "By Kamil Rudnik",
        "tags": ["volleyball"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Adam Warda",
            "caption": "The team celebrates match point.",
            "alt_text": "Volleyball players jumping and embracing on an indoor court.",
            "provider": "PAP",
        },
        "body": [
            "The national women's volleyball team qualified for the European finals on "
            "Sunday with a 3-0 win in their last qualifying match.",
            "The team had needed only one set to go through but dominated throughout, "
            "conceding no more than 19 points in any set.",
            "> Eight years is a long time to wait. This group has earned every point.",
            "Coach Renata Borowa said preparations would start with a training camp in January.",
        ],
    },
    {
        "headline": "Cycling federation introduces new heat rules for summer races",
        "section": "sport",
        "standfirst": "Stages could be shortened or moved to the morning when temperatures "
        "pass 35 degrees.",
        "byline": "By Claire Moreau, AFP",
        "tags": ["cycling", "heat"],
        "sources": ["AFP"],
        "body": [
            "The cycling federation approved new rules on Thursday allowing race organisers "
            "to shorten stages or change start times in extreme heat.",
            "Under the protocol, a panel of doctors and riders' representatives will check "
            "conditions each morning when forecasts exceed 35 degrees.",
            "> Riders are athletes, not thermometers. We should not be testing how much heat "
            "a body can take.",
            "The riders' association welcomed the rules but said they should also cover "
            "junior races.",
        ],
    },
    # Culture
    {
        "headline": "Restored silent film returns to the screen with live orchestra",
        "section": "culture",
        "standfirst": "A 1927 melodrama thought lost for decades has been rebuilt from "
        "three incomplete prints.",
        "byline": "By Julia Sokół",
        "tags": ["film", "restoration"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Anna Krawiec",
            "caption": "Musicians rehearse in front of the screen before the premiere.",
            "alt_text": "An orchestra seated below a large cinema screen showing a "
            "black-and-white film still.",
            "provider": "PAP",
        },
        "body": [
            "A silent film from 1927, long believed lost, returned to the big screen on "
            "Friday with a newly written score played by a live orchestra.",
            "Archivists rebuilt the film from three damaged prints found in private "
            "collections, restoring about 85 minutes of the original 90.",
            "> When the first reel came back from the lab, we just sat in silence and watched.",
            "The film archive said the restored version would tour regional cinemas next year.",
        ],
    },
    {
        "headline": "Regional museum reopens after five-year renovation",
        "section": "culture",
        "standfirst": "New galleries show folk costume, farm tools and a reconstructed "
        "village school.",
        "byline": "By Julia Sokół",
        "tags": ["museums", "heritage"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Marek Zieliński",
            "caption": "Visitors in the new folk costume gallery.",
            "alt_text": "Visitors looking at embroidered costumes displayed in glass cases.",
            "provider": "PAP",
        },
        "body": [
            "The regional museum reopened on Saturday after a five-year renovation that "
            "doubled its exhibition space.",
            "The new galleries include a reconstructed village schoolroom, a collection of "
            "embroidered costumes and a hall of farm machinery.",
            "> We want children to come here and see how their great-grandparents lived.",
            "Entry will be free on the first Sunday of every month, the director said.",
        ],
    },
    {
        "headline": "Debut novel about a lighthouse keeper wins first-book prize",
        "section": "culture",
        "standfirst": "The judges praised the book's spare prose and its portrait of "
        "loneliness on a remote coast.",
        "byline": "By Julia Sokół",
        "tags": ["books", "literary prizes"],
        "sources": [],
        "photo": {
            "credit": "EPA/JOHN SMITH",
            "caption": "The winning author at the award ceremony.",
            "alt_text": "A smiling woman holding a book and a glass trophy on a stage.",
            "provider": "EPA",
        },
        "body": [
            "A debut novel about a lighthouse keeper on a remote northern coast won this "
            "year's prize for a first book on Tuesday evening.",
            "The judges chose it from a shortlist of six, calling it “quiet, exact and "
            "unexpectedly funny”.",
            "> I wrote most of it at the kitchen table at five in the morning, before the "
            "children woke up.",
            "The prize comes with an award of 50,000 zlotys and a translation grant.",
        ],
    },
    {
        "headline": "Jazz festival announces line-up and cheaper student passes",
        "section": "culture",
        "standfirst": "Forty concerts over ten days, with half-price passes for anyone under 26.",
        "byline": "By Julia Sokół",
        "tags": ["music", "jazz", "festivals"],
        "sources": [],
        "body": [
            "The city's summer jazz festival announced a programme of forty concerts over "
            "ten days, including eight free open-air shows.",
            "For the first time, anyone under 26 can buy a festival pass at half price.",
            "> Jazz audiences are getting older. If we want young listeners, we have to "
            "let them in the door.",
            "Tickets go on sale on the first of next month.",
        ],
    },
    # Science
    {
        "headline": "Researchers track migrating storks with solar-powered tags",
        "section": "science",
        "standfirst": "Data from 60 birds shows some flying 600 kilometres in a single day on "
        "their way to Africa.",
        "byline": "By Paweł Górecki",
        "tags": ["birds", "migration", "research"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Adam Warda",
            "caption": "A white stork fitted with a small tracking tag.",
            "alt_text": "A white stork standing in a nest with a small device on its back.",
            "provider": "PAP",
        },
        "body": [
            "Scientists following 60 white storks fitted with solar-powered tags say some "
            "birds covered 600 kilometres in a day on their autumn migration.",
            "The tags record position every five minutes, letting researchers see where the "
            "birds rest, feed and catch rising warm air.",
            "> We used to know where they started and where they ended. Now we see every "
            "decision in between.",
            "The team plans to publish its first results next year.",
        ],
    },
    {
        "headline": "Lake sediment cores reveal a thousand years of climate history",
        "section": "science",
        "standfirst": "Layers of mud at the bottom of a mountain lake record droughts, "
        "floods and a long cold spell.",
        "byline": "By Paweł Górecki",
        "tags": ["climate", "geology"],
        "sources": ["Reuters"],
        "photo": {
            "credit": "REUTERS/Jane Doe",
            "caption": "Researchers lower a coring tube from a raft on the lake.",
            "alt_text": "Two people on a small raft lowering a long metal tube into a lake.",
            "provider": "Reuters",
        },
        "body": [
            "Mud cores drilled from the bed of a mountain lake hold a year-by-year record of "
            "the region's climate going back a thousand years, researchers reported.",
            "Each year leaves a light summer layer and a dark winter layer, allowing the "
            "team to date droughts and floods precisely.",
            "> It is like reading a diary written by the lake itself.",
            "The study found a cold period lasting about 150 years that matches accounts of "
            "failed harvests in old parish records.",
        ],
    },
    {
        "headline": "Small satellite built by students reaches orbit",
        "section": "science",
        "standfirst": "The shoebox-sized satellite will test a camera for monitoring crops.",
        "byline": "By Paweł Górecki",
        "tags": ["space", "universities"],
        "sources": ["PAP", "AFP"],
        "photo": {
            "credit": "PAP/Marek Zieliński",
            "caption": "Students check the satellite before it is shipped for launch.",
            "alt_text": "Students in lab coats looking at a small box-shaped satellite on a "
            "workbench.",
            "provider": "PAP",
        },
        "body": [
            "A small satellite built by university students reached orbit on Saturday and "
            "sent its first signal a few hours later.",
            "The satellite, about the size of a shoebox, carries a camera designed to "
            "measure how healthy crops are from space.",
            "> When we heard the first beep, half the room was crying.",
            "The students will control the satellite from a ground station on the campus roof.",
        ],
    },
    {
        "headline": "New bacteria strain breaks down plastic in lab tests",
        "section": "science",
        "standfirst": "Researchers caution that the process is slow and far from use outside "
        "the laboratory.",
        "byline": "By Associated Press",
        "tags": ["plastic", "biology"],
        "sources": ["Associated Press"],
        "body": [
            "A strain of bacteria found at a recycling plant can break down a common type of "
            "plastic in laboratory conditions, scientists said.",
            "In tests, the bacteria digested about a fifth of a thin plastic film over six "
            "weeks at a steady warm temperature.",
            "> This is a promising start, not a solution. The plastic we throw away today "
            "is still a problem.",
            "The team is now trying to find the enzymes responsible.",
        ],
    },
    # Opinion
    {
        "headline": "Our towns need libraries more than ever",
        "section": "opinion",
        "standfirst": "Libraries are the last public rooms where nobody asks you to buy anything.",
        "byline": "By Helena Brandt",
        "tags": ["libraries", "local government"],
        "sources": [],
        "body": [
            "When a town council looks for savings, the library is often first in line. It "
            "should be the last.",
            "A library is where pensioners learn to use online banking, where students "
            "without a quiet room at home can study, and where anyone can stay warm.",
            "> A town that closes its library is telling its poorest residents they are on "
            "their own.",
            "Councils should treat libraries as infrastructure, like roads and water, not as "
            "a luxury to be trimmed.",
        ],
    },
    {
        "headline": "Budget season is when promises meet arithmetic",
        "section": "opinion",
        "standfirst": "Every party wants lower taxes and better services. The budget is "
        "where we find out which matters more.",
        "byline": "By Adam Kruk",
        "tags": ["budget", "politics"],
        "sources": [],
        "body": [
            "Campaigns are written in poetry; budgets are written in spreadsheets.",
            "This autumn the governing coalition will have to decide whether its promises on "
            "pensions, defence and tax cuts can all survive contact with the numbers.",
            "> Show me your budget and I will tell you what you value.",
            "That old line is worth remembering as the debate begins. Voters should judge "
            "the plan by what it funds, not by what it promises.",
        ],
    },
    {
        "headline": "Why I stopped checking the news before breakfast",
        "section": "opinion",
        "standfirst": "A journalist's confession: the news is better read than scrolled.",
        "byline": "By Helena Brandt",
        "tags": ["media", "habits"],
        "sources": [],
        "body": [
            "For years the first thing I did each morning was reach for my phone. Then I "
            "tried waiting until after breakfast.",
            "I did not miss anything important. The stories were still there at nine, often "
            "with more facts and fewer rumours.",
            "> The news is not a river you must drink from constantly. It is a meal.",
            "I read less now, but I understand more. I recommend it.",
        ],
    },
    {
        "headline": "Local football deserves better than crumbling stands",
        "section": "opinion",
        "standfirst": "Small clubs hold communities together. Their grounds are falling apart.",
        "byline": "By Adam Kruk",
        "tags": ["football", "sport funding"],
        "sources": [],
        "body": [
            "Every Saturday, thousands of people stand on terraces that have not been "
            "repaired since the 1980s.",
            "Small clubs run youth teams, host fundraisers and give towns a reason to "
            "gather. Yet almost all sports funding goes to the top divisions.",
            "> If we want children to play sport, we need places worth playing in.",
            "A modest fund for lower-league grounds would cost little and return a lot.",
        ],
    },
    # Technology
    {
        "headline": "Government portal outage leaves tax filers waiting",
        "section": "technology",
        "updated_after_hours": 3,
        "standfirst": "The online tax service was down for most of the day as the filing "
        "deadline approached.",
        "byline": "By Michał Baran",
        "tags": ["outage", "taxes", "e-government"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Anna Krawiec",
            "caption": "An error page on the tax portal.",
            "alt_text": "A laptop screen showing a web page with a maintenance message.",
            "provider": "PAP",
        },
        "body": [
            "The government's online tax portal was unavailable for most of Tuesday, "
            "leaving many people unable to file returns days before the deadline.",
            "The digital affairs ministry blamed a failed software update and said no "
            "taxpayer data had been affected.",
            "> We apologise to everyone who tried to file today. No one will be penalised "
            "for the outage.",
            "The ministry later said the deadline would be extended by three days. The "
            "portal was restored in the evening.",
        ],
    },
    {
        "headline": "Phone maker promises seven years of security updates",
        "section": "technology",
        "standfirst": "The pledge covers the company's new mid-range models, not only its "
        "flagship phones.",
        "byline": "By Michał Baran",
        "tags": ["smartphones", "security"],
        "sources": ["Reuters"],
        "photo": {
            "credit": "REUTERS/John Smith",
            "caption": "The new phones on display at the launch event.",
            "alt_text": "Several smartphones standing upright on a white display table.",
            "provider": "Reuters",
        },
        "body": [
            "A phone manufacturer said on Wednesday it would provide security updates for "
            "seven years on its new mid-range phones.",
            "Consumer groups have long argued that short support periods push people to "
            "replace devices that still work.",
            "> A phone should last as long as its battery and screen, not as long as our "
            "patience with updates.",
            "The company said the pledge would also apply to phones sold since January.",
        ],
    },
    {
        "headline": "Rural broadband scheme connects its 100,000th home",
        "section": "technology",
        "standfirst": "Fibre has reached villages that a few years ago had no reliable "
        "internet at all.",
        "byline": "By Michał Baran",
        "tags": ["broadband", "rural areas"],
        "sources": ["PAP"],
        "photo": {
            "credit": "PAP/Adam Warda",
            "caption": "Technicians lay fibre-optic cable along a village road.",
            "alt_text": "Workers feeding orange cable into a trench beside a country road.",
            "provider": "PAP",
        },
        "body": [
            "A government-backed scheme to bring fibre broadband to rural areas has "
            "connected its 100,000th home, officials said.",
            "The programme targets villages where commercial operators said building "
            "networks would not pay.",
            "> My children used to do their homework in the car outside the school to get "
            "a signal.",
            "Officials said another 60,000 homes would be connected by the end of next year.",
        ],
    },
    {
        "headline": "Banks to roll out passkeys in place of text-message codes",
        "section": "technology",
        "standfirst": "Customers will confirm payments with a fingerprint or face scan on "
        "their phone.",
        "byline": "By Anna Nowak, Reuters",
        "tags": ["banking", "security", "passwords"],
        "sources": ["Reuters"],
        "body": [
            "Several large banks will start replacing text-message codes with passkeys next "
            "year, their industry association said.",
            "Passkeys are stored on a customer's phone and unlocked with a fingerprint or "
            "face scan, which makes them much harder to steal than codes sent by text.",
            "> Fraudsters have learned to intercept text messages. They cannot intercept a "
            "fingerprint.",
            "Customers without smartphones will still be able to use card readers.",
        ],
    },
]
