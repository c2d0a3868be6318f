"""Demo content for the CX Inspiration Hub.

Plain data, no Django imports: a loader turns each dict into a Post.

- dates are local Europe/Zurich wall-clock times (ISO, minute precision);
- two posts are drafts and one published post is scheduled in the future;
- links point to example.org, media.example.org or well-known home pages only;
- body is a small HTML fragment (p, a, em, strong, ul, ol, li, blockquote, h2, h3, br).
"""

DEMO_POSTS: list[dict] = [
    {
        "slug": "steve-jobs-unveils-the-first-iphone",
        "title": "Steve Jobs unveils the first iPhone: a masterclass in storytelling",
        "date": "2020-06-12T08:30",
        "status": "published",
        "media_kind": "video",
        "link": "https://www.apple.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Back in January 2007, on the Macworld stage in San Francisco, Steve Jobs "
            "introduced a phone that he boldly described as five years ahead of everything else in "
            "the market. The short clip of that moment is still worth a few minutes of your "
            "time.</p>"
            "<p>What I admire is not the device itself but the build-up. He first lets the "
            "audience feel the annoyance of the phones they already carry, and only then presents "
            "the answer. The customer problem comes before the product.</p>"
            "<p>Next time you pitch a CX idea to a leadership team, try the same order: make the "
            "pain visible, then show the remedy.</p>"
        ),
        "categories": ["cx-design", "tech-industry", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "steve-jobs-1997-customer-experience-first",
        "title": "Steve Jobs at WWDC 1997: begin with the customer experience",
        "date": "2020-06-26T10:00",
        "status": "published",
        "media_kind": "video",
        "link": "https://www.apple.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>This clip of roughly two and a half minutes comes from Apple's Worldwide "
            "Developers Conference in 1997. Challenged by a developer in the audience, Jobs "
            "explains that his team starts from the experience they want customers to have and "
            "only afterwards works out which technology can deliver it.</p>"
            "<p>More than two decades later, the argument still sounds fresh. In pharma we often "
            "reverse the order: we start from a molecule, a platform or a shiny tool and then go "
            "looking for a customer need it might satisfy.</p>"
            "<p>A useful test for any new initiative: <em>can we describe the experience before we "
            "describe the solution?</em></p>"
        ),
        "categories": ["cx-strategy", "tech-industry", "real-life-examples"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "blake-morgan-101-best-cx-quotes",
        "title": "A treasure chest of 101 CX quotes, collected by Blake Morgan",
        "date": "2020-07-08T09:15",
        "status": "published",
        "media_kind": "article",
        "link": "https://www.forbes.com/",
        "author": "Hub editorial team",
        "excerpt": "",
        "body": (
            "<p>Customer experience futurist and keynote speaker Blake Morgan has assembled more "
            "than a hundred memorable statements on customer experience in a single Forbes "
            "piece.</p>"
            "<p>We keep coming back to this list when we need an opening line for a workshop or a "
            "slide that wakes up a sleepy steering committee. Bookmark it; you will need it "
            "too.</p>"
        ),
        "categories": ["inspirational-quote", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "why-being-a-customer-is-a-good-thing",
        "title": "Why being called a customer is a good thing",
        "date": "2020-07-21T17:45",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>In my corner of the world, the pharmaceutical industry, many colleagues hesitate "
            "to use the word <em>customer</em> for physicians, nurses or patients. To them it "
            "sounds commercial, even a little disrespectful.</p>"
            "<p>I see it the other way round. A customer is somebody whose needs we have to earn "
            "the right to serve, somebody who can walk away, and somebody whose judgement of our "
            "work actually counts. That is a position of strength, not a downgrade.</p>"
            "<p>Calling people customers does not turn healthcare into retail. It simply reminds "
            "us who decides whether we did a good job.</p>"
        ),
        "categories": ["customer-centric-culture", "healthcare-sector"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "daniel-ord-cx-strategy-art-gallery",
        "title": "What an art gallery in Singapore taught Daniel Ord about CX strategy",
        "date": "2020-08-04T12:00",
        "status": "published",
        "media_kind": "podcast",
        "link": "https://example.org/podcasts/daniel-ord-art-gallery-cx-strategy",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Daniel Ord of Omnitouch once ran his own art gallery in Singapore, and in this "
            "episode he reflects on what that side venture revealed about customer experience "
            "strategy.</p>"
            "<p>Selling paintings turns out to be a lesson in patience, trust and knowing exactly "
            "which buyers you want to attract. Very few visitors buy on the first visit, and the "
            "relationship matters more than the single transaction.</p>"
            "<p>Swap <em>paintings</em> for <em>therapies</em> and <em>collectors</em> for "
            "<em>specialists</em>, and you will recognise a surprising amount.</p>"
        ),
        "categories": ["cx-strategy", "cultural-activities", "real-life-examples"],
        "audio_url": "https://media.example.org/podcasts/daniel-ord-art-gallery.mp3",
        "cover": "",
    },
    {
        "slug": "burger-bullet-prototyping-on-a-tennis-court",
        "title": "“Burger bullet” prototyping on a tennis court",
        "date": "2020-08-19T19:30",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/videos/the-founder-tennis-court-scene",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Can a Hollywood film teach you something about serious service design? Have a look "
            "at the scene from <em>The Founder</em> where the McDonald brothers chalk their "
            "kitchen layout onto a tennis court and let their staff rehearse the moves.</p>"
            "<p>They redraw the lines again and again until the flow works. It is a brilliant "
            "illustration of low-fidelity prototyping: cheap, physical, quick to change, and "
            "tested with the people who will actually do the work.</p>"
            "<p>It also shows that prototyping is tiring, repetitive work, and at the same time a "
            "lot of fun.</p>"
        ),
        "categories": ["cx-design", "cultural-activities", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "anthony-pannozzo-what-is-patient-experience",
        "title": "Two sets of emotions in one room: Anthony Pannozzo on patient experience",
        "date": "2020-09-02T09:00",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/videos/anthony-pannozzo-patient-experience",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Anthony Pannozzo, SVP Experience and Service Design at Continuum, talks about a "
            "tension that anyone working in care settings will know: clinicians and patients bring "
            "very different emotions into the same room.</p>"
            "<p>A good patient experience, in his view, has to respect both sides. Designing only "
            "for the patient while ignoring the stress of the care team does not hold up for "
            "long.</p>"
        ),
        "categories": ["understanding-the-customer", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "customer-interactions-and-successful-outcomes",
        "title": "How much of the day actually serves the patient?",
        "date": "2020-09-16T08:45",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/customer-interactions-successful-outcome",
        "author": "Karsten Schmidt",
        "excerpt": (
            "A hospital waiting-room observation and a sharp question: which of our activities "
            "actually contribute to the outcome the customer wants?"
        ),
        "body": (
            "<p>An article from the process-excellence community makes a simple but uncomfortable "
            "point: every interaction with a customer should be traceable to the outcome that "
            "customer is hoping for, which the author calls the <em>Successful Customer "
            "Outcome</em>.</p>"
            "<p>To illustrate it, the author describes sitting in a hospital emergency department "
            "during a family crisis and, to cope with the stress, jotting down what the staff were "
            "doing. Over 48 hours and 256 observations, only about 7% of the activity was time "
            "spent directly with a patient.</p>"
            "<p>It is not a controlled study, and it is not meant as criticism of the nurses. But "
            "it raises a question worth asking in any organisation: which of our tasks really move "
            "the customer closer to their goal, and which could we release?</p>"
        ),
        "categories": [
            "measuring-cx-success",
            "conceptual-cases",
            "healthcare-sector",
            "patient-experience",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "cx-day-2020-daniel-ord-greeting",
        "title": "CX Day 2020: Daniel Ord on how customers perceive us",
        "date": "2020-10-06T07:30",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/videos/cx-day-2020-daniel-ord",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>For CX Day 2020, Daniel Ord recorded a short greeting about customer perception. "
            "At its heart is his Customer Experience Pyramid, which stacks three levels on top of "
            "each other: meeting the need, making it easy, and making it enjoyable.</p>"
            "<p>In pharma we tend to stop at the first level. Getting the right information to the "
            "right physician is necessary, but it is only the foundation of the pyramid.</p>"
        ),
        "categories": ["understanding-the-customer", "broader-inspiration", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "more-diversity-in-clinical-trials",
        "title": "Clinical trials need to look more like the people they serve",
        "date": "2020-10-20T14:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/diversity-in-clinical-trials",
        "author": "Karsten Schmidt",
        "excerpt": (
            "Who takes part in a trial is shaped by experience design as much as by science. Three "
            "ideas for widening the circle."
        ),
        "body": (
            "<p>Before any new treatment reaches the market, it has to prove itself in clinical "
            "trials. Yet the people enrolled in those studies often represent only a narrow slice "
            "of the patients who will later rely on the medicine.</p>"
            "<p>I believe this is a customer-experience problem as much as a scientific one. "
            "Participation is easier for those who live near a study site, who can take time off "
            "work and who already trust the system. Everybody else drops out before they are even "
            "asked.</p>"
            "<p>An article on trial participation, linked above, sparked these thoughts of "
            "mine:</p>"
            "<ul>"
            "<li>Bring study visits closer to where people live.</li>"
            "<li>Explain the trial in plain language, not in protocol language.</li>"
            "<li>Ask patient communities early how participation could fit their lives.</li>"
            "</ul>"
        ),
        "categories": ["understanding-the-customer", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "carering-wins-reuters-pharma-award-2020",
        "title": "CareRing: an internal patient community recognised at the Reuters Pharma Awards",
        "date": "2020-11-03T11:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://www.roche.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>A proud moment to share: <strong>CareRing</strong>, the Roche community that "
            "brings together employees who live with a disease themselves or care for someone who "
            "does, has been honoured at the 2020 Reuters Pharma Awards Europe.</p>"
            "<p>What I love about CareRing is that it turns patient centricity from a slogan into "
            "something personal. Colleagues with lived experience share it with the teams who "
            "design our medicines and services, and the people in the building become a first "
            "source of patient insight.</p>"
        ),
        "categories": [
            "customer-centric-culture",
            "healthcare-sector",
            "patient-experience",
            "real-life-examples",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "american-cancer-society-measurement-case",
        "title": "How the American Cancer Society measures its way to better experiences",
        "date": "2020-11-17T10:30",
        "status": "published",
        "media_kind": "case-study",
        "link": "https://www.forrester.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>In a Forrester case study, the American Cancer Society shows what happens when a "
            "health organisation starts measuring experience against the outcomes it cares "
            "about.</p>"
            "<p>The reported results include a 10% rise in participation and 6% more revenue. For "
            "a non-profit, both numbers translate directly into more support for patients.</p>"
            "<p>The lesson for life sciences: choose metrics that are tied to what you are trying "
            "to achieve, not the ones that are simply available in your dashboard.</p>"
        ),
        "categories": ["measuring-cx-success", "healthcare-sector", "real-life-examples"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "copd-patients-telling-their-stories",
        "title": "Letting patients with COPD tell their own story",
        "date": "2020-12-01T09:00",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/videos/living-with-copd-stories",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Some messages are hard to land with facts alone. This series of short films lets "
            "real people describe what life with chronic obstructive pulmonary disease feels like, "
            "from being out of breath on the stairs to the worry of the next flare-up.</p>"
            "<p>Authentic voices do something that no brochure can: they make the listener "
            "recognise themselves. That is why storytelling deserves a place in the CX designer's "
            "toolbox.</p>"
        ),
        "categories": ["cx-design", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "the-rise-of-the-digital-hcp",
        "title": "The digital HCP is here, and she has expectations",
        "date": "2020-12-09T16:00",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/videos/rise-of-the-digital-hcp",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>A physician explains in her own words how she now looks for information, connects "
            "with peers and prefers to hear from companies.</p>"
            "<p>For readers outside our industry: HCP stands for healthcare professional, the "
            "umbrella term we use for physicians, nurses, pharmacists and other care providers.</p>"
            "<p>Her message is clear. Digital is not a channel she uses occasionally; it is where "
            "her working day happens.</p>"
        ),
        "categories": ["understanding-the-customer", "healthcare-sector", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "joining-a-cross-industry-cx-council",
        "title": "Why I joined a cross-industry customer experience council",
        "date": "2020-12-15T18:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://example.org/communities/customer-experience-council",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>I have just become a member of a Customer Experience Council that brings together "
            "CX practitioners from very different sectors, and I am excited about it.</p>"
            "<p>Pharma tends to benchmark itself against other pharma companies. That keeps us "
            "comfortable but rarely surprises us. Sitting at a table with people from banking, "
            "retail and telecoms forces me to explain our constraints in plain words, and to "
            "notice how many of them are habits rather than rules.</p>"
        ),
        "categories": ["organizational-adoption", "cx-community-events", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "who-is-the-pharma-customer",
        "title": "Who exactly is the customer of a pharma company?",
        "date": "2021-01-12T08:00",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Start a conversation about customer centricity in pharma and sooner or later "
            "someone asks the awkward question: who is our customer anyway? Ask five colleagues "
            "and you will probably hear five answers.</p>"
            "<h3>The usual candidates</h3>"
            "<ul>"
            "<li>Physicians and other healthcare professionals who prescribe or administer</li>"
            "<li>Pharmacists who dispense and advise</li>"
            "<li>Payers and health authorities who decide on access</li>"
            "<li>Patients and the people who care for them</li>"
            "</ul><p>All of them matter, and each needs a good experience with us. But if I have "
            "to pick one whose outcome gives all the others their purpose, it is the patient. The "
            "rest of the ecosystem exists to get the right treatment to that person.</p>"
        ),
        "categories": [
            "understanding-the-customer",
            "conceptual-cases",
            "healthcare-sector",
            "patient-experience",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "etsy-cross-functional-customer-research",
        "title": "Etsy: customer research as a team sport",
        "date": "2021-01-26T09:30",
        "status": "published",
        "media_kind": "case-study",
        "link": "https://www.forrester.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>A Forrester case study describes how the online marketplace Etsy grows by "
            "investing in a deep understanding of its buyers and sellers, with research done "
            "jointly across functions rather than inside one insights team.</p>"
            "<p>Among the reported results: a 10% improvement in shoppers finding the items they "
            "searched for, and a 9% higher likelihood that they go on to buy.</p>"
            "<p>When product, marketing and research look at the same evidence together, there is "
            "much less arguing about whose data is right.</p>"
        ),
        "categories": ["understanding-the-customer", "e-commerce-industry", "real-life-examples"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "customer-service-key-to-success-in-life-science",
        "title": "Customer service: the forgotten part of life-science CX",
        "date": "2021-02-18T10:15",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/customer-service-life-science-industry",
        "author": "Karsten Schmidt",
        "excerpt": (
            "Service desks in life sciences are still run as compliance functions, while the "
            "people calling them are increasingly patients."
        ),
        "body": (
            "<p>Johanne Rønnow Olsen and Ida Spangsberg published a thoughtful article on 11 "
            "February 2021 about the role of customer service in pharmaceutical, biotech and "
            "medtech companies.</p>"
            "<p>Their observation matches mine: companies pour money into CRM, digital services "
            "and marketing, while the service desk is still treated mainly as a compliance "
            "function. At the same time, the people calling are shifting from doctors and "
            "pharmacists towards patients with very practical questions.</p>"
            "<p>The authors suggest that every company decides deliberately what it wants its "
            "service to be:</p>"
            "<ol>"
            "<li>fast and efficient at answering individual requests,</li>"
            "<li>a source of satisfaction and brand strength through personal service, or</li>"
            "<li>one consistent experience across every channel.</li>"
            "</ol><p>None of these is wrong. Not choosing, however, usually is.</p>"
        ),
        "categories": ["cx-strategy", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "sage-turning-b2b-insights-into-action",
        "title": "Sage: tools and governance that turn B2B insight into action",
        "date": "2021-03-02T09:00",
        "status": "published",
        "media_kind": "case-study",
        "link": "https://www.forrester.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Forrester has documented how Sage Software North America built the tools and the "
            "governance needed to act on what its business customers were telling it.</p>"
            "<p>The reported outcomes are impressive, among them 90% resolution rates and 1.5 "
            "times as many paying customers.</p>"
            "<p>What I take from it: insight without an owner and a decision rhythm stays a nice "
            "report. Governance sounds boring, but it is what makes feedback travel.</p>"
        ),
        "categories": ["organizational-adoption", "tech-industry", "real-life-examples"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "mailchimp-turning-data-into-action",
        "title": "How MailChimp put customer data to work",
        "date": "2021-03-16T13:30",
        "status": "published",
        "media_kind": "case-study",
        "link": "https://evernote.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Evernote has shared a case study on how MailChimp collected and organised customer "
            "feedback so that teams could actually act on it.</p>"
            "<p>Yes, the publisher has a product to sell, so read it with a pinch of salt. The "
            "underlying approach, however, is solid: capture feedback in one place, make it "
            "searchable, and bring it to the people who design the product.</p>"
        ),
        "categories": ["understanding-the-customer", "tech-industry", "real-life-examples"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "maps-town-hall-digital-innovation-medical-affairs",
        "title": "MAPS town hall: digital innovation in medical affairs",
        "date": "2021-03-30T15:00",
        "status": "published",
        "media_kind": "webinar",
        "link": "https://medicalaffairs.org/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>The Medical Affairs Professional Society (MAPS) hosted a 75-minute global town "
            "hall on digital innovation in medical affairs.</p>"
            "<p>The panel looks at how the role of field medical colleagues has changed during the "
            "pandemic and which of those changes are likely to stay once travel and face-to-face "
            "meetings return.</p>"
        ),
        "categories": [
            "organizational-adoption",
            "healthcare-sector",
            "digital-experience",
            "cx-community-events",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "jacada-what-digital-adoption-means",
        "title": "What does digital adoption really mean?",
        "date": "2021-04-13T08:30",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/videos/jacada-digital-adoption",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>In a video from Jacada's thought leadership series, Clay Davis discusses customer "
            "service automation and what it takes for customers to actually embrace digital "
            "self-service.</p>"
            "<p>His key point: launching a digital tool is the easy part. Adoption depends on "
            "whether the tool removes effort for the customer, not just for the company.</p>"
        ),
        "categories": ["organizational-adoption", "tech-industry", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "sketch-of-a-high-performing-cx-team",
        "title": "Anatomy of a CX team that delivers",
        "date": "2021-04-27T07:45",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/downloads/cx-team-sketch.pdf",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>There is more than one way to set up a customer experience team, but it helps to "
            "know what has worked elsewhere. Below is how one actual pharma company organised its "
            "CX team, simplified for sharing.</p>"
            "<h3>Four capabilities, one mandate</h3>"
            "<ul>"
            "<li><strong>Customer insight</strong>: voice-of-the-customer programmes and "
            "research</li>"
            "<li><strong>Journey and service design</strong>: turning insight into concrete "
            "improvements</li>"
            "<li><strong>Measurement</strong>: a small set of metrics the business agrees on</li>"
            "<li><strong>Enablement</strong>: coaching, training and change support for the teams "
            "who own the touchpoints</li>"
            "</ul><p>Note what is missing: the CX team does not own the customer. It helps "
            "everyone else serve the customer better.</p>"
        ),
        "categories": ["organizational-adoption", "conceptual-cases", "healthcare-sector"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "pillpack-outperforms-pharmacies-on-nps",
        "title": "PillPack's NPS of 80 leaves traditional pharmacies behind",
        "date": "2021-05-11T10:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://www.pillpack.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Amazon's online pharmacy PillPack reports a Net Promoter Score of 80. Anything "
            "above 70 is generally regarded as world class, and the established pharmacy market is "
            "far below that level.</p>"
            "<p>The service itself is not rocket science: medicines sorted into daily packets, "
            "delivered home, with refills handled in the background. It simply removes many small "
            "frustrations from the life of people taking several medicines.</p>"
            "<p>If you work in pharma and think patients do not care about experience, this number "
            "should make you pause.</p>"
        ),
        "categories": [
            "measuring-cx-success",
            "e-commerce-industry",
            "real-life-examples",
            "patient-experience",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "dbs-reinvents-banking-with-journey-maps",
        "title": "DBS: journey maps at the heart of a banking reinvention",
        "date": "2021-05-25T09:00",
        "status": "published",
        "media_kind": "case-study",
        "link": "https://www.forrester.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Forrester tells the story of how DBS in Singapore rethought banking in Asia by "
            "systematically mapping and redesigning customer journeys.</p>"
            "<p>One figure stands out: 239 million customer service hours saved over three years. "
            "Those are hours that customers no longer spend waiting, queuing or repeating "
            "themselves.</p>"
            "<p>Journey mapping is sometimes dismissed as a workshop exercise. DBS shows what it "
            "can achieve when it becomes the way a company organises its work.</p>"
        ),
        "categories": ["cx-design", "financial-sector", "real-life-examples", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "journey-mapping-leverage-points-steffani-wilde",
        "title": "Finding the moments that matter: an interview on customer journey mapping",
        "date": "2021-06-08T08:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/journey-mapping-leverage-points-interview",
        "author": "Karsten Schmidt",
        "excerpt": (
            "A conversation with Steffani Wilde on mapping disease journeys with mixed teams and "
            "spotting the moments where a better service really matters."
        ),
        "body": (
            "<p>I talked with Steffani Wilde of sWILDE Business Design about how life-science "
            "teams can use journey maps to discover where engagement truly makes a difference.</p>"
            "<p>Her recipe starts with a multidisciplinary group from medical, sales, marketing "
            "and advocacy. Together they trace the path from the first symptom through diagnosis "
            "and treatment to follow-up, and then add everyone else who shapes that path: GPs, "
            "specialists, nurses, support groups and family members.</p>"
            "<p>The leverage points show up where the path breaks. A referral from a GP to a "
            "specialist is a good example: the patient wants a quick appointment and someone they "
            "can trust, while the specialist needs a complete handover.</p>"
            "<p>Her final tip is refreshingly practical: keep the map on a wall where people walk "
            "past it every day, and treat each new service idea as a prototype to be tested before "
            "anything gets printed.</p>"
        ),
        "categories": ["cx-design", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "the-patients-view-treatment-in-context-of-life",
        "title": "The patient's view: treatment is only one part of life",
        "date": "2021-06-22T07:30",
        "status": "published",
        "media_kind": "quote",
        "link": "https://example.org/quotes/sue-smith-patients-view",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Sue Smith captures in two short sentences what patient centricity is about. Her "
            "point, in my own paraphrase: the system tends to see people as patients inside a "
            "treatment, while people see the treatment as a small part of their life.</p>"
            "<p>Patient centricity starts the moment we switch to the second perspective and look "
            "at our work from the kitchen table rather than from the clinic.</p>"
        ),
        "categories": [
            "understanding-the-customer",
            "inspirational-quote",
            "healthcare-sector",
            "patient-experience",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "reality-inspiring-innovation",
        "title": "When careful observation turns into a life-saving idea",
        "date": "2021-07-06T12:15",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/videos/reality-inspiring-innovation",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>This short film shows how paying close attention to what really happens in daily "
            "life can lead to innovation. A modest piece of technology, combined with a very clear "
            "purpose, ends up saving lives.</p>"
            "<p>No big budget, no grand strategy. Just someone who looked closely, listened and "
            "refused to accept that the problem was normal.</p>"
        ),
        "categories": ["cx-design", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "oliver-sacks-his-own-life",
        "title": "A film recommendation: Oliver Sacks, his own life",
        "date": "2021-07-20T20:00",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/films/oliver-sacks-his-own-life",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>If you get the chance, watch the documentary <em>Oliver Sacks: His Own Life</em>. "
            "The London-born neurologist and writer lived a life of extremes and spent it trying "
            "to understand how the people he treated actually experienced their conditions.</p>"
            "<p>His case stories are, at their core, exercises in empathy. They remind me that "
            "understanding the customer is not primarily a matter of data, but of curiosity and "
            "respect.</p>"
        ),
        "categories": ["understanding-the-customer", "cultural-activities", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "blake-morgan-20-best-cx-metrics",
        "title": "A handy overview of twenty customer experience metrics",
        "date": "2021-08-03T09:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://www.linkedin.com/",
        "author": "Hub editorial team",
        "excerpt": "",
        "body": (
            "<p>Blake Morgan has published a useful overview of twenty metrics for customer "
            "experience on LinkedIn, from the familiar NPS and CSAT to effort, churn and employee "
            "engagement.</p>"
            "<p>We like it because it is broad without being academic. Use it as a menu: no "
            "organisation needs all twenty, but everybody should know why they picked the few they "
            "track.</p>"
        ),
        "categories": ["measuring-cx-success", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "five-things-healthcare-can-learn-from-disney",
        "title": "Five lessons healthcare can borrow from Disney",
        "date": "2021-08-17T10:45",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/healthcare-lessons-from-disney",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>At first glance, theme parks and hospitals have nothing in common. Nobody goes to "
            "hospital for fun; they go because something needs fixing.</p>"
            "<p>Yet this article argues that healthcare can learn from Disney's obsession with the "
            "details of a guest's day: staff who see themselves as cast members, clear "
            "orientation, and a deliberate effort to make waiting bearable.</p>"
            "<p>Patients will never buy a ticket to a clinic. They will, however, remember how "
            "they were treated there.</p>"
        ),
        "categories": [
            "customer-centric-culture",
            "leisure-industry",
            "healthcare-sector",
            "patient-experience",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "blake-morgan-20-cx-innovation-examples",
        "title": "Twenty real-world CX innovations, from Mercedes to Boxed",
        "date": "2021-08-31T08:15",
        "status": "published",
        "media_kind": "article",
        "link": "https://www.linkedin.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Blake Morgan has collected twenty examples of companies innovating in customer "
            "experience. The list ranges from carmaker Mercedes to the online bulk retailer "
            "Boxed.</p>"
            "<p>Reading across industries is the quickest way to escape our own assumptions. Which "
            "of these ideas would survive the trip into a regulated healthcare setting?</p>"
        ),
        "categories": [
            "cx-design",
            "real-life-examples",
            "automotive-industry",
            "e-commerce-industry",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "face-to-face-or-digital-five-drivers",
        "title": "Face-to-face or digital? Five drivers for setting the dial",
        "date": "2021-09-14T09:30",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/blog/customer-facing-model-five-drivers",
        "author": "Karsten Schmidt",
        "excerpt": (
            "Five factors that decide how much of a pharma customer-facing model should be "
            "face-to-face and how much digital."
        ),
        "body": (
            "<p>Jude Konzelmann and Roz Lawson have written a clear piece on how pharma companies "
            "can balance field force visits with non-personal channels. Their starting point: "
            "every customer-facing model is multichannel, and the rep is one channel among "
            "several.</p>"
            "<p>Where the dial should sit depends, in their view, on five factors:</p>"
            "<ol>"
            "<li>how complex the product and therapy area are,</li>"
            "<li>the stage of the product lifecycle,</li>"
            "<li>how easily HCPs can still be reached in person,</li>"
            "<li>what customers prefer and need, and</li>"
            "<li>what the company wants to be known for.</li>"
            "</ol><p>I particularly like the last one. If you want to be seen as the trusted "
            "partner in a therapy area, a purely digital model will make that hard.</p>"
        ),
        "categories": ["cx-strategy", "healthcare-sector", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "leadership-lessons-from-a-dancing-guy",
        "title": "Lessons in leadership from a lone dancer",
        "date": "2021-09-28T19:00",
        "status": "published",
        "media_kind": "video",
        "link": "https://www.ted.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>In under three minutes, Derek Sivers narrates a festival video in which one man "
            "starts dancing alone, a first follower joins him, and soon the whole hillside is on "
            "its feet.</p>"
            "<p>For me it is the perfect metaphor for CX transformation. The lone enthusiast looks "
            "a bit odd at first. It is the first follower who turns him into a leader, and the "
            "early followers who turn an idea into a movement.</p>"
            "<p>So if you cannot be the dancer, be the first one to join.</p>"
        ),
        "categories": ["organizational-adoption", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "reuters-pharma-2021-modernizing-medical-affairs",
        "title": "Reuters Pharma 2021: panel on modernising medical affairs",
        "date": "2021-10-05T11:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://example.org/events/reuters-pharma-2021/modernizing-medical-affairs",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>At Reuters Pharma 2021 I joined a panel on how medical affairs needs to change. We "
            "discussed new engagement models, the skills field medical teams need for a hybrid "
            "world, and how to measure the value of scientific exchange.</p>"
            "<p>My main message: modernising medical affairs is less about new tools and more "
            "about taking the HCP's experience as seriously as the scientific content.</p>"
        ),
        "categories": ["organizational-adoption", "healthcare-sector", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "michael-hinshaw-cx-value-chain",
        "title": "Michael Hinshaw on the value chain of customer experience",
        "date": "2021-10-12T08:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://blog.adobe.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>In a post on the Adobe blog, Michael Hinshaw sets out how customer experience "
            "creates value step by step, from better interactions to loyalty and finally to "
            "financial results.</p>"
            "<p>A useful read if you need to explain to your finance colleagues why CX is not just "
            "a cost centre.</p>"
        ),
        "categories": ["cx-strategy", "tech-industry"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "reuters-becoming-a-cx-visionary",
        "title": "Becoming a CX visionary: a Reuters webinar with CVS Health and Bloomfire",
        "date": "2021-10-19T14:30",
        "status": "published",
        "media_kind": "webinar",
        "link": "https://example.org/webinars/becoming-a-cx-visionary",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Customer experience seems to be on everybody's agenda at the moment. The latest "
            "free webinar I came across is a Reuters session on how leaders build a "
            "customer-centric culture, featuring CVS Health and Bloomfire.</p>"
            "<p>Worth an hour if you are wondering how to move CX from a project team into the "
            "everyday behaviour of a large organisation.</p>"
        ),
        "categories": ["customer-centric-culture", "healthcare-sector", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "customer-portals-whose-needs",
        "title": "Does your customer portal serve your customers, or you?",
        "date": "2021-10-26T07:30",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>I admit I am biased when it comes to customer portals. Over the years I have seen "
            "plenty of them launched in my industry, and far too many were built around what the "
            "company wanted to say rather than what the visitor came to do.</p>"
            "<p>A simple test: list the three most common reasons an HCP would visit your portal. "
            "Now count the clicks needed for each. If the answer is more than three, or if the "
            "home page is mostly about your brand, you have your answer.</p>"
            "<p>Portals are not a digital brochure rack. They are a service.</p>"
        ),
        "categories": ["cx-design", "healthcare-sector", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "digital-capabilities-for-medical-affairs",
        "title": "Which digital capabilities does medical affairs need now?",
        "date": "2021-11-02T09:00",
        "status": "published",
        "media_kind": "report",
        "link": "https://example.org/reports/digital-capabilities-medical-affairs",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>DT Consulting has released a whitepaper by Francesca Properzi and colleagues, "
            "dated 15 October 2021, on building digital capabilities in medical affairs for a "
            "multichannel world after COVID.</p>"
            "<p>It is a helpful checklist for medical leaders who know they must change but are "
            "unsure where to invest first: skills, data, content or processes.</p>"
        ),
        "categories": ["organizational-adoption", "healthcare-sector", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "blackdot-cx-transformation-metrics-webinar",
        "title": "Which metrics matter in a CX transformation?",
        "date": "2021-11-09T16:00",
        "status": "published",
        "media_kind": "webinar",
        "link": "https://example.org/webinars/cx-transformation-metrics",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Blackdot recently hosted a webinar on measuring CX transformation, with Charles "
            "Waterfield, Director of Commercial Excellence and Innovation at AstraZeneca, as guest "
            "speaker. The recording is now available.</p>"
            "<p>Refreshingly, the discussion goes beyond NPS and looks at how to link experience "
            "measures to business decisions in a pharma context.</p>"
        ),
        "categories": ["measuring-cx-success", "healthcare-sector"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "health-economics-what-clinicians-need-webinar",
        "title": "Free webinar: what clinicians want to know about a drug's health economics",
        "date": "2021-11-22T08:00",
        "status": "published",
        "media_kind": "webinar",
        "link": "https://example.org/webinars/health-economics-for-clinicians",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>CELforPharma is offering a free 45-minute webinar on Monday, 29 November 2021, "
            "from 13:00 to 13:45 CET.</p>"
            "<p>Prof. Lieven Annemans will explain which health economic information clinicians "
            "actually need when a new medicine arrives, and how to present it so that it is useful "
            "rather than overwhelming.</p>"
        ),
        "categories": ["understanding-the-customer", "healthcare-sector", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "cx-management-life-science-conference-2021",
        "title": "See you at the CX Management for Life Science conference, 9-10 December",
        "date": "2021-11-30T09:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://example.org/events/cx-management-life-science-2021",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>I am looking forward to speaking for Roche at the 2nd Annual CX Management for "
            "Life Science conference, held virtually on 9 and 10 December 2021.</p>"
            "<p>I will talk about what it takes to put a CX strategy to work in a pharma company, "
            "including the parts that did not go as planned. Join if you can; the exchanges in the "
            "breakout rooms are often the best part.</p>"
        ),
        "categories": ["cx-strategy", "healthcare-sector", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "maps-power-of-digital-in-medical-affairs",
        "title": "MAPS chapter launch: the power of digital in medical affairs (16 December)",
        "date": "2021-12-07T10:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://medicalaffairs.org/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>The MAPS Switzerland/Nordics chapter celebrates its launch on 16 December 2021 "
            "with an event on the power of digital in medical affairs.</p>"
            "<p>A good opportunity to meet medical affairs colleagues from the region and to hear "
            "how they are reshaping scientific engagement.</p>"
        ),
        "categories": [
            "organizational-adoption",
            "healthcare-sector",
            "digital-experience",
            "cx-community-events",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "t-mobile-nl-online-community",
        "title": "T-Mobile NL: how an online community lifted customer service",
        "date": "2021-12-10T08:30",
        "status": "published",
        "media_kind": "case-study",
        "link": "https://www.insided.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>inSided has shared a case study on T-Mobile Netherlands, at the time the country's "
            "leading telecom operator.</p>"
            "<p>By building an online community where customers help each other, the company "
            "lowered its support costs and at the same time improved the experience. Many answers "
            "now come from fellow customers who speak the same language as the person asking.</p>"
            "<p>Would a moderated peer community for patients with the same condition work in "
            "healthcare? The regulatory questions are real, but so is the need.</p>"
        ),
        "categories": ["cx-design", "comms-business", "real-life-examples", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "taking-anecdotal-feedback-seriously",
        "title": "When the anecdotes and the data disagree",
        "date": "2021-12-14T07:45",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Jeff Bezos once said, more or less, that when anecdotes contradict the metrics, "
            "the anecdotes are usually right. Coming from the founder of one of the most "
            "data-driven companies on earth, that surprised me.</p>"
            "<p>In pharma we love our numbers, and we tend to wave away a single complaint as an "
            "outlier. Yet a single call from a nurse who could not use a device may reveal "
            "something our survey was never designed to detect.</p>"
            "<p>Data tells you how often. Stories tell you why. You need both.</p>"
        ),
        "categories": ["understanding-the-customer", "e-commerce-industry", "healthcare-sector"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "pharma-digital-cx-news-feed",
        "title": "New: the Pharma Digital CX News feed",
        "date": "2021-12-16T12:00",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Hub editorial team",
        "excerpt": "",
        "body": (
            "<p>A short announcement from the editors. Besides the curated posts, the CX "
            "Inspiration Hub now offers a news feed called <strong>Pharma Digital CX "
            "News</strong>.</p>"
            "<p>It collects headlines on digital customer experience in pharma and life sciences "
            "from a number of trusted sources. Subscribe with any feed reader and you will never "
            "miss an update.</p>"
        ),
        "categories": ["digital-experience", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "van-belleghem-cx-leaders-manual",
        "title": "Holiday reading: Steven Van Belleghem's free CX leader's manual",
        "date": "2021-12-17T09:00",
        "status": "published",
        "media_kind": "report",
        "link": "https://www.stevenvanbelleghem.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Looking for something inspiring to read over the holidays? Steven Van Belleghem "
            "has released a free e-book, <em>The CX leader's manual to customer "
            "excellence</em>.</p>"
            "<p>It is practical, full of examples and short enough to finish between two family "
            "dinners.</p>"
        ),
        "categories": ["cx-strategy", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "jeanne-bliss-five-actions-market-disruption",
        "title": "Five actions that keep a CX leader ahead of disruption",
        "date": "2021-12-28T10:30",
        "status": "published",
        "media_kind": "podcast",
        "link": "https://example.org/podcasts/jeanne-bliss-episode-142",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Halfway through the Christmas break and a little bored? Here is a podcast tip. In "
            "episode 142 of her show, Jeanne Bliss shares five key actions that help a CX leader "
            "stay ahead when the market shifts.</p>"
            "<p>Her advice is grounded and very actionable, which is exactly what you need before "
            "the new year's planning season starts.</p>"
        ),
        "categories": ["cx-strategy", "broader-inspiration"],
        "audio_url": "https://media.example.org/podcasts/jeanne-bliss-episode-142.mp3",
        "cover": "",
    },
    {
        "slug": "blake-morgan-ten-stats-power-of-cx",
        "title": "Ten numbers that prove customer experience pays off",
        "date": "2022-01-04T08:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://www.linkedin.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>A little inspiration for the new year: Blake Morgan has compiled ten statistics "
            "that show how much weight customer experience carries in business today.</p>"
            "<p>Keep them at hand for the next time someone in a budget meeting asks whether CX is "
            "a nice-to-have. The evidence that it affects revenue, loyalty and cost is hard to "
            "ignore.</p>"
        ),
        "categories": ["measuring-cx-success", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "cxn-predictive-cx-2022",
        "title": (
            "Acting before customers churn: CX Network's free predictive CX seminar, January 2022"
        ),
        "date": "2022-01-11T09:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://www.cxnetwork.com/",
        "author": "Hub editorial team",
        "excerpt": "",
        "body": (
            "<p>CX Network (CXN) is running a free online seminar on predictive customer "
            "experience at the end of January 2022.</p>"
            "<p>The sessions look at how to use predictive analytics to act in real time: spotting "
            "the usual causes of churn and frustration, and recognising moments where a customer "
            "could be delighted.</p>"
        ),
        "categories": ["measuring-cx-success", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "kpn-community-for-support-and-ideas",
        "title": "KPN: one community for support and for new ideas",
        "date": "2022-01-18T10:00",
        "status": "published",
        "media_kind": "case-study",
        "link": "https://www.insided.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Another community case study from inSided, this time about KPN, which provides "
            "mobile, fixed-line, TV and internet services.</p>"
            "<p>KPN uses its online community in two ways. Customers solve problems together, and "
            "the same space becomes a source of ideas for improving products and services.</p>"
        ),
        "categories": ["understanding-the-customer", "comms-business", "real-life-examples"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "cxn-voice-of-the-customer-2022",
        "title": (
            "Free three-day online event on voice of the customer by CX Network, 15-17 February "
            "2022"
        ),
        "date": "2022-02-01T09:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://www.cxnetwork.com/",
        "author": "Hub editorial team",
        "excerpt": "",
        "body": (
            "<p>From 15 to 17 February 2022, CX Network hosts a free online event on the voice of "
            "the customer.</p>"
            "<p>Expect sessions on using feedback to understand customers better, fix friction at "
            "key touchpoints and drive cultural change inside the organisation.</p>"
        ),
        "categories": ["understanding-the-customer", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "multichannel-versus-omnichannel",
        "title": "Multichannel or omnichannel: what is the difference?",
        "date": "2022-02-15T07:30",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": (
            "Multichannel describes what a company offers; omnichannel describes what the customer "
            "experiences. A short explainer."
        ),
        "body": (
            "<p>I get asked this question a lot, so here is my short answer.</p>"
            "<p><strong>Multichannel</strong> means you offer several channels: a rep visit, an "
            "email, a webinar, a website. Each may be excellent, but each is planned and measured "
            "on its own.</p>"
            "<p><strong>Omnichannel</strong> means the customer experiences one conversation "
            "across all of them. The email picks up where the visit ended, and the rep knows what "
            "the physician asked on the website yesterday.</p>"
            "<p>In other words, multichannel is about what the company offers. Omnichannel is "
            "about what the customer experiences.</p>"
        ),
        "categories": [
            "cx-strategy",
            "conceptual-cases",
            "healthcare-sector",
            "digital-experience",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "next-pharma-summit-2022-omnichannel-panel",
        "title": (
            "Omnichannel transformation: mission accomplished? Panel at NEXT Pharma Summit 2022"
        ),
        "date": "2022-02-22T08:30",
        "status": "published",
        "media_kind": "event",
        "link": "https://example.org/events/next-pharma-summit-2022",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>I am looking forward to a panel at the NEXT Pharma Summit 2022 together with "
            "Margot O'Neil from GSK and Dirk Abeel from OMNI-X-ELLERATION.</p>"
            "<p>We will take an honest look at how mature omnichannel really is in the "
            "pharmaceutical industry. Many companies have invested heavily in platforms and "
            "content. Fewer can show that their customers notice the difference.</p>"
        ),
        "categories": [
            "cx-strategy",
            "healthcare-sector",
            "digital-experience",
            "cx-community-events",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "toyota-gb-voice-of-the-customer",
        "title": "How Toyota GB listens to its customers",
        "date": "2022-03-01T09:15",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/videos/toyota-gb-insight-communities",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>This short video shows how Toyota GB complements its classic metrics and market "
            "research with insight communities, online groups of customers who share their views "
            "on a regular basis.</p>"
            "<p>The result is a much richer picture of both existing and prospective customers. A "
            "car is a long-term relationship, much like a chronic therapy.</p>"
        ),
        "categories": ["understanding-the-customer", "automotive-industry", "real-life-examples"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "cxn-customer-self-service-2022",
        "title": "Self-service done right: a free CX Network online event, 29-30 March 2022",
        "date": "2022-03-08T09:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://www.cxnetwork.com/",
        "author": "Hub editorial team",
        "excerpt": "",
        "body": (
            "<p>CX Network offers another free online event, this time on customer self-service, "
            "on 29 and 30 March 2022.</p>"
            "<p>The programme covers how self-service can improve the experience, lower contact "
            "volumes and make operations more efficient, ideally all three at once.</p>"
        ),
        "categories": ["cx-design", "digital-experience", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "mark-doyle-patient-equals-customer",
        "title": "Mark Doyle puts “the patient is the customer” to the test",
        "date": "2022-03-15T18:00",
        "status": "published",
        "media_kind": "podcast",
        "link": "https://example.org/podcasts/a-life-in-a-day-patient-customer",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>I keep arguing that in pharma, the patient is the customer. This time I will have "
            "to defend the idea: Mark Doyle, founder of A-life-in-a-day, has invited me to a "
            "conversation where he will challenge it.</p>"
            "<p>Tune in for a lively discussion about what the idea implies for how a pharma "
            "company organises itself, and where it runs into limits.</p>"
        ),
        "categories": ["customer-centric-culture", "healthcare-sector", "patient-experience"],
        "audio_url": "https://media.example.org/podcasts/patient-equals-customer-mark-doyle.mp3",
        "cover": "",
    },
    {
        "slug": "nestle-digital-acceleration",
        "title": "Learning from Nestlé's digital acceleration team",
        "date": "2022-03-22T08:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://www.nestle.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Nestlé, headquartered in Switzerland, has set up an in-house programme where "
            "employees build digital skills by working on real business problems for several "
            "months.</p>"
            "<p>What I like is the learning-by-doing model. Participants return to their teams "
            "with new skills and, equally important, with a network of colleagues who speak the "
            "same digital language.</p>"
        ),
        "categories": ["organizational-adoption", "real-life-examples", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "cxn-customer-journey-management-2022",
        "title": "Journeys from map to action: a free CX Network online event, 13-15 April 2022",
        "date": "2022-03-29T09:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://www.cxnetwork.com/",
        "author": "Hub editorial team",
        "excerpt": "",
        "body": (
            "<p>CX Network invites you to a free online event on customer journey management from "
            "13 to 15 April 2022.</p>"
            "<p>Speakers will cover how better journey mapping, design and optimisation translate "
            "into a better experience.</p>"
        ),
        "categories": ["cx-design", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "airplane-takes-off-against-the-wind",
        "title": (
            '"The airplane takes off against the wind" ✈️ \u2013 for bumpy days on the CX road'
        ),
        "date": "2022-04-05T07:00",
        "status": "published",
        "media_kind": "quote",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Some days the road to customer centricity feels like one long headwind. On those "
            "days, this line, often attributed to Henry Ford, helps me:</p>"
            "<blockquote>"
            "<p>When everything seems to be going against you, remember that the airplane takes "
            "off against the wind, not with it.</p>"
            "</blockquote>"
            "<p>Resistance is not always a sign that you are on the wrong track. Sometimes it is "
            "the lift you need.</p>"
        ),
        "categories": ["inspirational-quote", "customer-centric-culture"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "overcoming-the-commercial-medical-schism",
        "title": "Bridging the gap between commercial and medical",
        "date": "2022-04-12T07:45",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>If you have never worked in pharma, this may surprise you: we have two separate "
            "functions that engage with the same customers. Commercial teams promote products; "
            "medical affairs teams handle scientific exchange.</p>"
            "<p>The separation exists for good reasons. Unfortunately, the physician on the other "
            "side of the table does not experience two well-governed functions. She experiences "
            "one company that contacts her twice, in different tones, without knowing what the "
            "other half said.</p>"
            "<p>Keeping the rules and still designing one coherent experience is possible. It just "
            "requires both sides to plan the journey together.</p>"
        ),
        "categories": ["organizational-adoption", "healthcare-sector"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "stop-defining-cx-as-just-an-outcome",
        "title": "Stop defining CX as nothing more than an outcome",
        "date": "2022-04-26T08:00",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>First in a small series of rants. I am not bothered by academic definitions; I am "
            "bothered by how loosely the CX label gets used in everyday corporate life.</p>"
            "<p>One common shortcut is to treat customer experience as a result: a score at the "
            "end of the quarter. The experience is what the customer lives through; the score is "
            "only our attempt to summarise it.</p>"
            "<p>If CX is just an outcome, nobody owns the work that produces it. Treat it as a "
            "discipline, with methods, roles and decisions, and the outcome will follow.</p>"
        ),
        "categories": ["cx-strategy", "conceptual-cases", "stop-it-mini-series"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "a-design-funnel-for-pharma-people",
        "title": "A design funnel sketched for pharma colleagues",
        "date": "2022-05-10T09:00",
        "status": "published",
        "media_kind": "report",
        "link": "https://example.org/downloads/design-funnel-sketch.pdf",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Agencies run design thinking workshops every week. For the pharma colleagues "
            "taking part, the logic of the sequence is not always obvious.</p>"
            "<p>So I drew a simple funnel that shows how the process first opens up and then "
            "narrows down:</p>"
            "<ol>"
            "<li>Explore widely and collect observations</li>"
            "<li>Frame the one problem worth solving</li>"
            "<li>Generate many ideas</li>"
            "<li>Prototype a few and test them with customers</li>"
            "<li>Commit to the one that works</li>"
            "</ol><p>Once people see where they are in the funnel, they stop asking why we are not "
            "deciding yet.</p>"
        ),
        "categories": ["cx-design", "conceptual-cases", "healthcare-sector"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "do-you-need-a-dedicated-cx-strategy",
        "title": "Does a company need a separate CX strategy?",
        "date": "2022-05-24T07:30",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/dedicated-cx-strategy",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>I put this question to a group of fellow CX executives. I was hoping for nuance; I "
            "got a unanimous answer. Their tip: ask your leadership team what the CX strategy is, "
            "and watch the reaction.</p>"
            "<p>I still believe customer experience should be woven into the corporate strategy "
            "rather than sitting next to it. But until that happens, a written CX strategy is the "
            "thing that makes the gap visible.</p>"
        ),
        "categories": ["cx-strategy"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "beyond-sociodemographic-twins",
        "title": "Same demographics, different lives",
        "date": "2022-06-07T08:15",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/sociodemographic-twins",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>A meme I stumbled upon compares Prince Charles and Ozzy Osbourne. Both were born "
            "in 1948, grew up in Britain, married twice and are wealthy. On paper, a classic "
            "segmentation would put them in the same box.</p>"
            "<p>Obviously, their lives could hardly be more different. The same is true for our "
            "customers. Two oncologists of the same age in the same city may have completely "
            "different working days, worries and information habits.</p>"
            "<p>Segment by shared experiences and needs, not only by age, specialty and "
            "postcode.</p>"
        ),
        "categories": ["understanding-the-customer", "conceptual-cases", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "is-pharma-swamped-by-cx-transformation",
        "title": "Are we asking too much of pharma colleagues?",
        "date": "2022-06-21T07:30",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/transformation-fatigue-pharma",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Digital, omnichannel, agile, data, and now customer experience. Lately I have "
            "wondered whether we expect too much change from colleagues in our industry at "
            "once.</p>"
            "<p>Each transformation comes with its own vocabulary, training and dashboards. From "
            "the perspective of a brand manager or a medical science liaison, they pile up into "
            "one big wave.</p>"
            "<p>Perhaps CX can help rather than add to the load: it gives all the other "
            "initiatives a common reason. We change because the customer needs it, not because a "
            "programme says so.</p>"
        ),
        "categories": ["organizational-adoption", "healthcare-sector"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "internal-hurdles-patient-as-customer",
        "title": "The internal hurdles to treating the patient as a customer",
        "date": "2022-07-05T08:00",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>I once sat in on a leadership meeting of a large therapeutic area. I will not say "
            "which or where, because my point is not to blame anybody.</p>"
            "<p>When I suggested that the patient should be seen as our customer, the room went "
            "quiet. The objections came politely: regulations, the role of the physician, the risk "
            "of being seen as promotional.</p>"
            "<p>All valid concerns, but none of them prevents us from understanding what patients "
            "go through and designing our services accordingly. The biggest hurdle is not in the "
            "rulebook. It is in our habits.</p>"
        ),
        "categories": ["customer-centric-culture", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "compliance-is-part-of-the-solution",
        "title": "Compliance is part of the solution, not the roadblock",
        "date": "2022-07-19T07:45",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>It comes up in every pharma project sooner or later, sometimes openly and "
            "sometimes between the lines: compliance is slowing us down.</p>"
            "<p>I see it differently. Compliance rules exist to protect patients and HCPs, which "
            "makes them part of the customer experience. A trustworthy experience in healthcare is "
            "a compliant one.</p>"
            "<p>Bring compliance colleagues into the design work from the first workshop. They "
            "often suggest solutions nobody else thought of, and late surprises disappear.</p>"
        ),
        "categories": ["customer-centric-culture", "healthcare-sector"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "metrics-guiding-cx-in-pharma-zurich",
        "title": "Making metrics steer CX in pharma: a talk in Zurich",
        "date": "2022-08-16T10:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://example.org/events/cx-metrics-pharma-zurich-2022",
        "author": "Karsten Schmidt",
        "excerpt": (
            "A session in Zurich on CX metrics that guide decisions in pharma, now in the hands of "
            "a colleague."
        ),
        "body": (
            "<p><strong>Update:</strong> for personal reasons I had to cancel my participation. A "
            "valued colleague has kindly agreed to take over the session in my place.</p>"
            "<p>The topic remains close to my heart: how can we measure customer experience in "
            "pharma in a way that actually guides decisions, rather than producing yet another "
            "slide for the quarterly review?</p>"
        ),
        "categories": ["measuring-cx-success", "healthcare-sector", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "cx-3-0-conference-omnichannel-talk",
        "title": "Building an omnichannel customer experience: my talk at CX 3.0",
        "date": "2022-09-01T09:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://example.org/events/cx-3-0-conference-2022",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Quick note: next week, on Thursday 8 September 2022 at 9:00 CET, I will speak for "
            "Roche at the virtual CX 3.0 Conference.</p>"
            "<p>My topic is how to build an omnichannel customer experience in a regulated "
            "industry, and why the hard part is organisational rather than technical.</p>"
        ),
        "categories": [
            "cx-strategy",
            "healthcare-sector",
            "digital-experience",
            "cx-community-events",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "six-reasons-the-patient-is-the-pharma-customer",
        "title": "Six reasons why the patient is pharma's customer",
        "date": "2022-09-20T08:00",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/videos/patient-customer-discussion-recording",
        "author": "Karsten Schmidt",
        "excerpt": "The argument for seeing patients as pharma's customers, in six points.",
        "body": (
            '<p>Earlier this year Mark Doyle challenged my "patient = customer" position in front '
            "of a virtual audience. I enjoyed it, and it helped me sharpen my argument. Here it is "
            "in six points.</p>"
            "<ol>"
            "<li>Patients are the ones who live with the outcome of a therapy.</li>"
            "<li>Increasingly, they co-decide on treatment with their physician.</li>"
            "<li>They carry part of the cost, directly or through insurance.</li>"
            "<li>Their adherence determines whether a medicine works in real life.</li>"
            "<li>They talk to each other and to us, in public.</li>"
            "<li>Every other stakeholder ultimately serves them.</li>"
            "</ol><p>The recording of the original discussion is linked above.</p>"
        ),
        "categories": ["cx-strategy", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "who-is-in-charge-of-cx",
        "title": "Who in a company is responsible for CX?",
        "date": "2022-10-04T07:30",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Short answer: everybody. Customer experience is the sum of what every function "
            "does, from the call centre to the supply chain to the legal review.</p>"
            "<p>Longer answer: if everybody is responsible, somebody still has to make sure it "
            "happens. A CX leader or team can set the vision, provide methods and keep score. They "
            "cannot deliver the experience on behalf of everyone else.</p>"
        ),
        "categories": ["customer-centric-culture"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "zappos-true-customer-story",
        "title": "Zappos and a true customer story",
        "date": "2022-10-18T12:00",
        "status": "published",
        "media_kind": "video",
        "link": "https://www.zappos.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>In this commercial, the online shoe and clothing retailer Zappos tells a real "
            "customer story with a lot of humour.</p>"
            "<p>Of course it is advertising. But a company that chooses to advertise with its "
            "service instead of its products tells you something about its priorities. At Zappos, "
            "the experience is the product.</p>"
        ),
        "categories": ["customer-centric-culture", "e-commerce-industry", "real-life-examples"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "indegene-digital-summit-2022-medical-omnichannel",
        "title": "Medical omnichannel engagement: panel at the Indegene Digital Summit 2022",
        "date": "2022-11-01T09:00",
        "status": "published",
        "media_kind": "event",
        "link": "https://www.indegene.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>At the Indegene Digital Summit 2022, I took part in a panel on omnichannel "
            "engagement in medical affairs.</p>"
            "<p>We discussed what orchestrating scientific exchange across channels looks like in "
            "practice, and how to stay true to the non-promotional role of medical while doing "
            "so.</p>"
        ),
        "categories": [
            "cx-strategy",
            "healthcare-sector",
            "digital-experience",
            "cx-community-events",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "stop-defining-cx-as-just-insights",
        "title": "Stop treating CX as a synonym for insights",
        "date": "2022-11-15T08:00",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            '<p>Another entry in my small series. I keep hearing "CX" used when people really mean '
            "market research or customer insights.</p>"
            "<p>Insights are essential. You cannot design a good experience without knowing your "
            'customer. But knowing is only the beginning. If we call the insight function "CX", we '
            "are quietly suggesting that understanding the customer is the whole job.</p>"
            "<p>Customer experience means acting on what we learn: redesigning journeys, changing "
            "processes, and checking whether customers notice.</p>"
        ),
        "categories": ["understanding-the-customer", "conceptual-cases", "stop-it-mini-series"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "breaking-silos-for-patient-centricity-webinar",
        "title": "Breaking internal silos so that patient centricity becomes everybody's job",
        "date": "2022-11-29T10:00",
        "status": "published",
        "media_kind": "webinar",
        "link": "https://example.org/webinars/breaking-silos-patient-centricity",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>For a limited time, you can watch a conversation between Urs Voegeli, Managing "
            "Director of Janssen Switzerland, and Mark Doyle, founder of A-life-in-a-day.</p>"
            "<p>They talk about how internal silos get in the way of patient centricity, and what "
            "a country organisation can do to make it a shared priority instead of a "
            "department.</p>"
        ),
        "categories": ["organizational-adoption", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "emotion-ai-post-pandemic-webinar",
        "title": "Can emotion AI close the experience gap in a digital-first world?",
        "date": "2022-12-13T15:00",
        "status": "published",
        "media_kind": "webinar",
        "link": "https://example.org/webinars/emotion-ai-post-pandemic",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>This webinar recording explores how emotion AI, technology that reads emotional "
            "signals from voice, text or facial expressions, could be used at various customer "
            "touchpoints.</p>"
            "<p>The idea is to compensate for some of what we lost when conversations moved "
            "online. I remain curious but cautious: in healthcare, the bar for consent and "
            "transparency is high, and rightly so.</p>"
        ),
        "categories": ["understanding-the-customer", "tech-industry", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "from-old-old-to-new-co-creation",
        "title": "From “the way we always did it” to real co-creation",
        "date": "2023-01-10T08:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/co-creation-with-patients",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>In my industry, and probably in yours, co-creation has become a buzzword. We are "
            "convinced that developing ideas together with customers leads to better results, and "
            "we say so in almost every meeting.</p>"
            "<p>In practice, many co-creation sessions are still the old approach in new clothes: "
            "we invite a few physicians or patients to react to something that is already "
            "decided.</p>"
            "<p>Real co-creation starts earlier, with an open question, and it accepts that the "
            "answer might not be the one we hoped for.</p>"
        ),
        "categories": ["cx-design", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "elevate-medical-affairs-amazon-insights-podcast",
        "title": "Mining HCP insights the Amazon way: an Elevate Medical Affairs episode",
        "date": "2023-02-07T07:30",
        "status": "published",
        "media_kind": "podcast",
        "link": "https://example.org/podcasts/elevate-medical-affairs-insights-mining",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>MAPS has released a particularly inspiring episode of its Elevate podcast. The "
            "guest is Mark Michalski, Worldwide Head of Healthcare &amp; Life Sciences for "
            "Artificial Intelligence and Machine Learning at Amazon.</p>"
            "<p>The conversation explores how machine learning can help medical teams make sense "
            "of the huge volume of unstructured questions and comments they collect from HCPs, and "
            "turn them into insights the organisation can act on.</p>"
        ),
        "categories": ["understanding-the-customer", "healthcare-sector", "tech-industry"],
        "audio_url": (
            "https://media.example.org/podcasts/elevate-medical-affairs-insights-mining.mp3"
        ),
        "cover": "",
    },
    {
        "slug": "voice-of-the-customer-at-reuters-pharma-2023",
        "title": "Voice of the customer in pharma: my talk at Reuters Pharma 2023",
        "date": "2023-03-15T09:30",
        "status": "published",
        "media_kind": "event",
        "link": "https://example.org/events/reuters-pharma-2023/voice-of-the-customer",
        "author": "Karsten Schmidt",
        "excerpt": (
            "Voice of the customer as a continuous process rather than an annual survey: "
            "highlights from my Reuters Pharma 2023 talk."
        ),
        "body": (
            "<p>Can a company call itself customer-centric if it does not know what its customers "
            "think of it? That is the question I put at the start of my talk at Reuters Pharma "
            "2023.</p>"
            "<p>Voice of the customer, or VoC, is not a yearly survey. It is a continuous process "
            "of listening, understanding and responding, ideally close to real time.</p>"
            "<h3>Three takeaways</h3>"
            "<ul>"
            "<li>Listen at the moments that matter, not only once a year.</li>"
            "<li>Close the loop with the customer who gave the feedback.</li>"
            "<li>Make sure someone owns the fix.</li>"
            "</ul>"
        ),
        "categories": ["understanding-the-customer", "healthcare-sector", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "bank-fraud-alert-trust-at-the-moment-of-truth",
        "title": "Trust at the moment of truth: what banks know about alarming messages",
        "date": "2023-04-18T08:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/bank-fraud-alert-design",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Not long ago my bank sent me a message about a suspicious card payment. Within two "
            "minutes I had confirmed it was not mine, the card was blocked and a new one was on "
            "its way. A scary moment ended up increasing my trust in the bank.</p>"
            "<p>This article looks at how banks design such alerts: calm wording, one obvious next "
            "step, and no need to call a hotline and repeat the whole story.</p>"
            "<p>Pharma has its own alarming moments, such as a product recall, a supply shortage "
            "or a safety update. How often do we design those with the same care?</p>"
        ),
        "categories": ["customer-centric-culture", "conceptual-cases", "financial-sector"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "hafners-cx-podcast-cx-management-pharma",
        "title": "Über CX-Management in der Pharmaindustrie \u2013 zu Gast bei Hafners CX Podcast",
        "date": "2023-05-09T08:00",
        "status": "published",
        "media_kind": "podcast",
        "link": "https://example.org/podcasts/hafners-cx-podcast-pharma",
        "author": "Karsten Schmidt",
        "excerpt": (
            "Ein Gespräch auf Deutsch mit Prof. Dr. Nils Hafner über CX-Management in der "
            "Pharmaindustrie."
        ),
        "body": (
            "<p>Für alle, die Deutsch verstehen: Ich durfte mit Prof. Dr. Nils Hafner in seinem "
            "Podcast über die Fortschritte und Stolpersteine des CX-Managements in einem "
            "Pharmaunternehmen sprechen.</p>"
            "<p>Wir haben darüber diskutiert, wer in der Pharma eigentlich der Kunde ist, warum "
            "Veränderung hier länger dauert als anderswo und was trotzdem möglich ist.</p>"
            "<p>For English speakers: the episode is in German and covers the progress and "
            "obstacles of CX management in pharma.</p>"
        ),
        "categories": ["organizational-adoption", "healthcare-sector"],
        "audio_url": "https://media.example.org/podcasts/hafners-cx-podcast-pharma.mp3",
        "cover": "",
    },
    {
        "slug": "stop-running-cx-as-a-project",
        "title": "Stop running CX as a project with an end date",
        "date": "2023-06-13T07:30",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>The next instalment of my stop-it series. Projects have a start, a budget, a "
            "steering committee and, crucially, an end. Customer experience does not.</p>"
            "<p>When CX is set up as a project, the organisation quietly learns that it will be "
            "over soon. People wait it out. The journey maps go into a drawer at the closing "
            "meeting.</p>"
            "<p>Fund the capability, not the project. Give it a permanent home, a permanent budget "
            "line and a permanent seat at the table.</p>"
        ),
        "categories": ["organizational-adoption", "stop-it-mini-series"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "commercial-and-medical-when-one-plus-one-is-less",
        "title": "Commercial & Medical: when 1 + 1 < 2 in customer engagement",
        "date": "2023-07-04T08:00",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>A sequel to my earlier post on the gap between commercial and medical affairs. "
            "This time I want to look at the arithmetic.</p>"
            "<p>When the two functions plan their customer contacts separately, the HCP gets twice "
            "the emails, duplicate invitations and sometimes contradictory messages. The combined "
            "effect is <em>less</em> than either would achieve alone.</p>"
            "<p>A shared calendar of customer touchpoints, agreed rules on who speaks about what, "
            "and a joint review of customer feedback can turn 1 + 1 back into at least 2.</p>"
        ),
        "categories": ["organizational-adoption", "healthcare-sector", "conceptual-cases"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "stop-measuring-what-is-easy-to-count",
        "title": "Stop measuring what is easy instead of what matters",
        "date": "2023-09-12T07:45",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Another one for the stop-it series. Email open rates, portal visits, number of "
            "calls made: we measure them because our systems produce them automatically.</p>"
            "<p>But none of them tells us whether the customer was helped. A physician who opened "
            "our email three times may have done so because she could not find the answer.</p>"
            "<p>Start from the customer's goal, then ask which signal would show that we helped "
            "them reach it. If the signal is hard to collect, that is a reason to invest, not to "
            "give up.</p>"
        ),
        "categories": ["measuring-cx-success", "stop-it-mini-series"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "customer-service-from-hotline-to-experience-hub",
        "title": "From hotline to experience hub: rethinking service in life sciences",
        "date": "2023-10-17T08:30",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/medical-information-service-redesign",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Most life-science companies run a service centre that handles medical enquiries, "
            "product complaints and adverse event reports. It is usually designed around one goal: "
            "capture everything correctly.</p>"
            "<p>That goal remains non-negotiable. But the same desk is also one of the few places "
            "where patients and HCPs talk to us directly, and where we can learn what confuses "
            "them.</p>"
            "<ul>"
            "<li>Analyse call reasons every month and share them with brand and medical teams.</li>"
            "<li>Measure effort, not only handling time.</li>"
            "<li>Offer callbacks and chat where the rules allow it.</li>"
            "</ul>"
        ),
        "categories": ["cx-strategy", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "omotenashi-hospitality-lessons-for-pharma",
        "title": "おもてなし (omotenashi): what Japanese hospitality can teach pharma",
        "date": "2023-11-21T09:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/omotenashi-hospitality",
        "author": "Karsten Schmidt",
        "excerpt": (
            "The Japanese art of anticipating a guest's needs, and why it matters for patients "
            "starting a new therapy."
        ),
        "body": (
            "<p><em>Omotenashi</em> is the Japanese idea of wholehearted hospitality: anticipating "
            "the needs of a guest before they are expressed, and serving without expecting "
            "anything in return.</p>"
            "<p>You can experience it in a traditional ryokan, at a tea ceremony or in a small "
            "restaurant where the host remembers how you like your tea.</p>"
            "<p>Anticipation is the key word for our industry. A patient starting a new therapy "
            "should not have to ask what comes next. The answer should already be waiting.</p>"
        ),
        "categories": [
            "customer-centric-culture",
            "leisure-industry",
            "cultural-activities",
            "broader-inspiration",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "nps-in-pharma-useful-or-misleading",
        "title": "Net Promoter Score in pharma: helpful or misleading?",
        "date": "2023-12-05T08:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://www.netpromoter.com/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Many pharma companies have adopted NPS. It is simple, well known and easy to "
            "benchmark. It also comes with pitfalls in our context.</p>"
            '<p>Physicians may be reluctant to "recommend" a company, and patients rarely choose '
            "their manufacturer. A score can then move for reasons that have nothing to do with "
            "the experience we provide.</p>"
            "<p>My advice: use NPS as one signal among several, always ask the open follow-up "
            "question, and spend more time on the comments than on the number.</p>"
        ),
        "categories": ["measuring-cx-success", "conceptual-cases", "healthcare-sector"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "stop-calling-every-survey-voice-of-the-customer",
        "title": "Stop calling every survey a voice-of-the-customer programme",
        "date": "2024-02-06T07:30",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>A late addition to the stop-it series. Sending a questionnaire once a year does "
            "not make a VoC programme.</p>"
            "<p>A real voice-of-the-customer programme listens across many sources, including "
            "complaints, service calls, field notes and social media, and it has a clear route "
            "from what we hear to what we change.</p>"
            "<p>If nobody can name a decision that was changed by last year's survey, it was a "
            "survey, not a voice.</p>"
        ),
        "categories": ["understanding-the-customer", "stop-it-mini-series"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "caregivers-view-on-patient-support-programmes",
        "title": "Patient support programmes, seen through a caregiver's eyes",
        "date": "2024-04-16T08:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/caregiver-view-patient-support",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Patient support programmes are usually designed for the patient. Very often, "
            "however, it is a partner, a parent or an adult child who reads the letters, books the "
            "appointments and keeps track of the medication.</p>"
            "<p>This article collects experiences from caregivers, and their wishes are simple: be "
            "allowed to call on behalf of the patient, get information they can share with the "
            "family, and be asked how they are coping too.</p>"
        ),
        "categories": ["understanding-the-customer", "healthcare-sector", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "generative-ai-at-the-medical-information-desk",
        "title": "Generative AI at the medical information desk: a sober look",
        "date": "2024-06-11T09:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/generative-ai-medical-information",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Generative AI promises faster, friendlier answers to medical questions. This "
            "article looks at early pilots in which such tools draft responses for medical "
            "information specialists to review.</p>"
            "<p>The best results come from designs that keep a human in the loop and make it clear "
            "to the enquirer how their answer was produced. Speed is welcome; trust is "
            "essential.</p>"
        ),
        "categories": ["cx-design", "tech-industry", "healthcare-sector", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "cx-day-2024-three-questions",
        "title": "Happy CX Day 2024: three questions for your team",
        "date": "2024-10-01T07:30",
        "status": "published",
        "media_kind": "event",
        "link": "https://www.cxpa.org/",
        "author": "Hub editorial team",
        "excerpt": "",
        "body": (
            "<p>Today is CX Day, the annual celebration of the people who make customer "
            "experiences better. Instead of cake, we suggest three questions for your next team "
            "meeting:</p>"
            "<ol>"
            "<li>What did a customer tell us this month that surprised us?</li>"
            "<li>Which small friction could we remove this quarter?</li>"
            "<li>Who outside our team deserves a thank-you for helping a customer?</li>"
            "</ol>"
        ),
        "categories": ["customer-centric-culture", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "drucker-purpose-of-a-business",
        "title": "Peter Drucker on the purpose of a business",
        "date": "2025-01-14T07:30",
        "status": "published",
        "media_kind": "quote",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<blockquote>"
            "<p>There is only one valid definition of business purpose: to create a customer.</p>"
            "</blockquote>"
            "<p>Peter Drucker wrote this in the 1950s. For a new year, it is a good reminder that "
            "products, pipelines and processes all serve one end: people who choose to rely on "
            "us.</p>"
        ),
        "categories": ["inspirational-quote", "cx-strategy", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "five-years-of-the-cx-inspiration-hub",
        "title": "Five years of the CX Inspiration Hub",
        "date": "2025-06-17T10:00",
        "status": "published",
        "media_kind": "",
        "link": "",
        "author": "Hub editorial team",
        "excerpt": "",
        "body": (
            "<p>The hub turns five this summer. What started as a personal collection of inspiring "
            "CX examples for colleagues in pharma has grown into a library of events, podcasts, "
            "cases and opinion pieces.</p>"
            "<p>Thank you to everyone who has shared a tip, pointed us to a talk or argued with "
            "one of our posts. Please keep doing all three.</p>"
        ),
        "categories": ["broader-inspiration", "cx-community-events"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "accessible-patient-portals-checklist",
        "title": "An accessibility checklist for patient-facing portals",
        "date": "2025-09-23T08:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://www.w3.org/",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Many patients who use our digital services live with impaired vision, tremor, "
            "fatigue or cognitive load from their condition or treatment. Accessibility is not an "
            "extra for them; it decides whether they can use the service at all.</p>"
            "<ul>"
            "<li>Text that can be enlarged without breaking the layout</li>"
            "<li>Sufficient contrast and no information conveyed by colour alone</li>"
            "<li>Full keyboard navigation</li>"
            "<li>Plain language, tested with patients</li>"
            "</ul><p>The W3C accessibility guidelines are the obvious starting point.</p>"
        ),
        "categories": [
            "cx-design",
            "healthcare-sector",
            "patient-experience",
            "digital-experience",
        ],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "omnichannel-four-years-after-next-pharma",
        "title": "Omnichannel, four years on: are we there yet?",
        "date": "2026-03-10T08:00",
        "status": "published",
        "media_kind": "video",
        "link": "https://example.org/videos/next-pharma-summit-2022-omnichannel-panel",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>In 2022 I sat on a panel asking whether the omnichannel transformation in pharma "
            "was a job well done. Four years later, it is time for an honest update.</p>"
            "<p>Platforms and content engines are in place almost everywhere. What is still rare "
            "is the customer's feeling of one continuous conversation. The bottleneck has moved "
            "from technology to coordination between teams.</p>"
            "<p>The recording of the 2022 panel is still online if you want to compare notes.</p>"
        ),
        "categories": ["cx-strategy", "healthcare-sector", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "railway-app-lessons-for-patient-journeys",
        "title": "What a train timetable app teaches us about patient journeys",
        "date": "2026-06-02T08:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/articles/railway-app-journey-lessons",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>A good railway app does not just sell a ticket. It tells you which platform to go "
            "to, warns you about delays and suggests an alternative connection before you even "
            "notice the problem.</p>"
            "<p>Imagine a therapy journey designed the same way: a reminder before the next "
            "infusion, a heads-up when a lab result is ready, and a clear next step when plans "
            "change.</p>"
        ),
        "categories": ["cx-design", "real-life-examples", "digital-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "draft-cx-maturity-model-for-affiliates",
        "title": "Draft: a CX maturity model for country affiliates",
        "date": "2026-09-15T09:00",
        "status": "draft",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Work in progress. A five-level maturity model to help country organisations see "
            "where they stand in customer experience and what the next step would be.</p>"
            "<p>To do: test the level descriptions with two affiliates before publishing.</p>"
        ),
        "categories": ["cx-strategy", "conceptual-cases"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "one-page-cx-scorecard",
        "title": "A CX scorecard that fits on one page",
        "date": "2026-10-06T07:30",
        "status": "published",
        "media_kind": "report",
        "link": "https://example.org/downloads/one-page-cx-scorecard.pdf",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Leadership teams do not read forty-slide dashboards. So we tried to squeeze our CX "
            "measurement onto a single page.</p>"
            "<p>The result has three rows: one outcome metric per customer group, three "
            "journey-level indicators, and the top five issues raised by customers with the name "
            "of the person who owns each fix.</p>"
        ),
        "categories": ["measuring-cx-success", "conceptual-cases"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "draft-interview-with-a-patient-advocate",
        "title": "Draft: in conversation with a patient advocate",
        "date": "2026-10-20T09:00",
        "status": "draft",
        "media_kind": "",
        "link": "",
        "author": "Karsten Schmidt",
        "excerpt": "",
        "body": (
            "<p>Notes for an upcoming interview with a patient advocate about what good "
            "collaboration with industry looks like from the other side of the table.</p>"
        ),
        "categories": ["understanding-the-customer", "patient-experience"],
        "audio_url": "",
        "cover": "",
    },
    {
        "slug": "reading-list-2027-patient-experience",
        "title": "Our 2027 reading list on patient experience",
        "date": "2027-02-10T09:00",
        "status": "published",
        "media_kind": "article",
        "link": "https://example.org/reading-lists/patient-experience-2027",
        "author": "Hub editorial team",
        "excerpt": "",
        "body": (
            "<p>A scheduled post: every year we collect the books, reports and talks on patient "
            "experience that our readers recommended most.</p>"
            "<p>This year's list mixes research on shared decision-making with personal accounts "
            "from patients and caregivers.</p>"
        ),
        "categories": ["patient-experience", "broader-inspiration"],
        "audio_url": "",
        "cover": "",
    },
]
